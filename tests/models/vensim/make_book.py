#!/usr/bin/env python3
"""Write book.xlsx, the workbook of check_vensim's GET XLS tests, from its
XML parts written out below (Python's zipfile only: no spreadsheet library
decides the layout). Sheet 'Data':
    row 1: 'time'  0  1  2        (a shared string, then numbers)
    row 2: 'v'     2  4  8        (an inline string, then numbers)
    row 3: 'w'     1     5        (C3 empty: filled from its neighbours)
Defined names: consts -> Data!$B$2:$D$2 (global), times -> Data!$B$1:$D$1
(local to Data), w -> Data!$B$3:$D$3. Run: python3 make_book.py
"""
import zipfile

PARTS = {
    "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>""",
    "_rels/.rels": """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""",
    "xl/workbook.xml": """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Other" sheetId="2" r:id="rId2"/><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>
<definedNames>
<definedName name="consts">Data!$B$2:$D$2</definedName>
<definedName name="times" localSheetId="1">Data!$B$1:$D$1</definedName>
<definedName name="w">Data!$B$3:$D$3</definedName>
<definedName name="elsewhere">Other!$A$1</definedName>
</definedNames>
</workbook>""",
    "xl/_rels/workbook.xml.rels": """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>""",
    "xl/sharedStrings.xml": """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
<si><t>time</t></si><si><r><t>w</t></r></si>
</sst>""",
    "xl/worksheets/sheet1.xml": """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>0</v></c><c r="C1"><v>1</v></c><c r="D1"><v>2</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>v</t></is></c><c r="B2"><v>2</v></c><c r="C2"><f>B2*2</f><v>4</v></c><c r="D2"><v>8</v></c></row>
<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>1</v></c><c r="D3"><v>5</v></c></row>
</sheetData></worksheet>""",
    "xl/worksheets/sheet2.xml": """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1"><v>99</v></c></row>
</sheetData></worksheet>""",
}

with zipfile.ZipFile("book.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in PARTS.items():
        z.writestr(name, text)
