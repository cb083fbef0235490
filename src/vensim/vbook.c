/*
** vbook.c - read one sheet of a workbook: .xlsx with libzip and libxml2
** (an .xlsx file is a zip of XML parts: xl/workbook.xml names the sheets
** and the defined names, xl/_rels/workbook.xml.rels says which part holds
** each sheet, xl/sharedStrings.xml the strings its cells index), .xls
** (BIFF) with libfreexl. Part of the XMILE plug-in (vsheet.h).
**
** Only cell values are read: a formula's cached value, never the formula.
*/
#include "vsheet.h"

#include "error_int.h"

#include <freexl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

enum { MAX_PART = 256 * 1024 * 1024 }; /* a part beyond this is refused */

/* ------------------------------------------------------------------ xlsx */

/* The bytes of part name in the zip (owned, NUL-terminated), or NULL. */
static char *zip_part(zip_t *z, const char *name, size_t *len)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, ZIP_FL_NOCASE, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > MAX_PART)
        return NULL;
    zip_file_t *f = zip_fopen(z, name, ZIP_FL_NOCASE);
    if (!f)
        return NULL;
    char *buf = malloc((size_t)st.size + 1);
    zip_int64_t got = buf ? zip_fread(f, buf, st.size) : -1;
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    buf[got] = '\0';
    *len = (size_t)got;
    return buf;
}

static xmlDoc *zip_xml(zip_t *z, const char *name)
{
    size_t len = 0;
    char *buf = zip_part(z, name, &len);
    if (!buf || len > (size_t)INT32_MAX) {
        free(buf);
        return NULL;
    }
    xmlDoc *d = xmlReadMemory(buf, (int)len, name, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                  XML_PARSE_HUGE);
    free(buf);
    return d;
}

static int is_el(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

/* The text of every <t> below n, joined (a rich-text string's runs). */
static void texts(const xmlNode *n, xmlBuffer *b)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_el(c, "t")) {
            xmlChar *s = xmlNodeGetContent(c);
            if (s)
                xmlBufferCat(b, s);
            xmlFree(s);
        } else if (c->type == XML_ELEMENT_NODE && !is_el(c, "rPh")) { /* not phonetic runs */
            texts(c, b);
        }
    }
}

typedef struct strings {
    char **s;
    int n;
} strings;

static void strings_free(strings *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
}

static int read_strings(zip_t *z, strings *t)
{
    memset(t, 0, sizeof *t);
    xmlDoc *d = zip_xml(z, "xl/sharedStrings.xml");
    if (!d)
        return 0; /* a workbook without strings */
    const xmlNode *root = xmlDocGetRootElement(d);
    int n = 0;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next)
        n += is_el(c, "si");
    t->s = calloc((size_t)n + 1, sizeof *t->s);
    int rc = t->s ? 0 : -1;
    for (const xmlNode *c = root ? root->children : NULL; !rc && c; c = c->next) {
        if (!is_el(c, "si"))
            continue;
        xmlBuffer *b = xmlBufferCreate();
        if (!b) {
            rc = -1;
            break;
        }
        texts(c, b);
        const char *s = (const char *)xmlBufferContent(b);
        t->s[t->n] = malloc(strlen(s) + 1);
        if (t->s[t->n])
            strcpy(t->s[t->n++], s);
        else
            rc = -1;
        xmlBufferFree(b);
    }
    xmlFreeDoc(d);
    return rc;
}

/* "Sheet1!$C$4:$E$6" (or "'My sheet'!C4"): the sheet's name (owned) and the
** cells. Returns 1 when it is one range of one sheet. */
static int parse_ref(const char *ref, char **sheet, int *r0, int *c0, int *r1, int *c1)
{
    const char *bang = strrchr(ref, '!');
    if (!bang)
        return 0;
    const char *s = ref;
    size_t n = (size_t)(bang - ref);
    if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'')
        s++, n -= 2;
    const char *cells = bang + 1, *colon = strchr(cells, ':');
    const size_t la = colon ? (size_t)(colon - cells) : strlen(cells);
    if (!vsheet_cell_ref(cells, la, r0, c0))
        return 0;
    if (colon) {
        if (!vsheet_cell_ref(colon + 1, strlen(colon + 1), r1, c1))
            return 0;
    } else {
        *r1 = *r0;
        *c1 = *c0;
    }
    *sheet = malloc(n + 1);
    if (!*sheet)
        return 0;
    /* '' inside a quoted sheet name stands for ' */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        (*sheet)[k++] = s[i];
        if (s[i] == '\'' && i + 1 < n && s[i + 1] == '\'')
            i++;
    }
    (*sheet)[k] = '\0';
    return 1;
}

/* The sheet's part ("xl/worksheets/sheet1.xml") from its relationship id. */
static char *sheet_part(zip_t *z, const char *rid)
{
    xmlDoc *d = zip_xml(z, "xl/_rels/workbook.xml.rels");
    const xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
    char *part = NULL;
    for (const xmlNode *c = root ? root->children : NULL; c && !part; c = c->next) {
        if (!is_el(c, "Relationship"))
            continue;
        xmlChar *id = xmlGetProp(c, (const xmlChar *)"Id");
        xmlChar *target = xmlGetProp(c, (const xmlChar *)"Target");
        if (id && target && strcmp((const char *)id, rid) == 0) {
            const char *t = (const char *)target;
            const size_t n = strlen(t) + 8;
            part = malloc(n);
            if (part) {
                if (t[0] == '/')
                    snprintf(part, n, "%s", t + 1); /* from the package's root */
                else
                    snprintf(part, n, "xl/%s", t);
            }
        }
        xmlFree(id);
        xmlFree(target);
    }
    xmlFreeDoc(d);
    return part;
}

/* The cells of <sheetData>. */
static int read_cells(const xmlNode *data, const strings *st, vsheet *out)
{
    int row = -1;
    for (const xmlNode *r = data->children; r; r = r->next) {
        if (!is_el(r, "row"))
            continue;
        xmlChar *rr = xmlGetProp(r, (const xmlChar *)"r");
        row = rr ? atoi((const char *)rr) - 1 : row + 1;
        xmlFree(rr);
        int col = -1;
        for (const xmlNode *c = r->children; c; c = c->next) {
            if (!is_el(c, "c"))
                continue;
            xmlChar *ref = xmlGetProp(c, (const xmlChar *)"r");
            xmlChar *type = xmlGetProp(c, (const xmlChar *)"t");
            int cr = row, cc = col + 1;
            if (ref && !vsheet_cell_ref((const char *)ref, strlen((const char *)ref), &cr, &cc)) {
                cr = row;
                cc = col + 1;
            }
            col = cc;
            const char *t = type ? (const char *)type : "n";
            xmlChar *v = NULL;
            const xmlNode *vn = child(c, "v");
            int rc = 0;
            if (strcmp(t, "inlineStr") == 0) {
                const xmlNode *is = child(c, "is");
                xmlBuffer *b = is ? xmlBufferCreate() : NULL;
                if (b) {
                    texts(is, b);
                    const char *s = (const char *)xmlBufferContent(b);
                    rc = vsheet_put(out, cr, cc, s, strlen(s));
                    xmlBufferFree(b);
                }
            } else if (vn && (v = xmlNodeGetContent(vn)) != NULL) {
                const char *s = (const char *)v;
                if (strcmp(t, "s") == 0) {
                    const int k = atoi(s);
                    if (k >= 0 && k < st->n)
                        rc = vsheet_put(out, cr, cc, st->s[k], strlen(st->s[k]));
                } else if (strcmp(t, "e") != 0) { /* an error (#N/A...): empty */
                    rc = vsheet_put(out, cr, cc, s, strlen(s));
                }
            }
            xmlFree(v);
            xmlFree(ref);
            xmlFree(type);
            if (rc)
                return -1;
        }
    }
    return 0;
}

static int read_xlsx(const char *path, const char *sheet, vsheet *out, migdev_error *err)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z)
        return err_set(err, MIGDEV_E_IO, NULL, 0, 0, "cannot open it as an .xlsx workbook");
    strings st;
    int rc = read_strings(z, &st) ? err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory") : 0;
    xmlDoc *wb = rc ? NULL : zip_xml(z, "xl/workbook.xml");
    const xmlNode *root = wb ? xmlDocGetRootElement(wb) : NULL;
    if (!rc && !root)
        rc = err_set(err, MIGDEV_E_SYNTAX, NULL, 0, 0, "it has no readable xl/workbook.xml");
    /* the sheet: its position (for local names) and part */
    char *part = NULL, *found = NULL;
    int pos = -1, k = 0;
    for (const xmlNode *c = rc ? NULL : child(child(root, "sheets"), "sheet"); c; c = c->next) {
        if (!is_el(c, "sheet"))
            continue;
        xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
        xmlChar *rid = NULL;
        for (xmlAttr *a = c->properties; a; a = a->next)
            if (strcmp((const char *)a->name, "id") == 0)
                rid = xmlNodeGetContent((xmlNode *)a);
        if (name && rid && pos < 0 && strcasecmp((const char *)name, sheet) == 0) {
            pos = k;
            part = sheet_part(z, (const char *)rid);
            found = malloc(strlen((const char *)name) + 1);
            if (found)
                strcpy(found, (const char *)name);
        }
        k++;
        xmlFree(name);
        xmlFree(rid);
    }
    if (!rc && pos < 0)
        rc = err_set(err, MIGDEV_E_NAME, NULL, 0, 0, "it has no sheet '%s'", sheet);
    if (!rc && (!part || !found))
        rc = err_set(err, MIGDEV_E_SYNTAX, NULL, 0, 0, "the part of sheet '%s' is missing",
                     sheet);
    xmlDoc *sd = rc ? NULL : zip_xml(z, part);
    const xmlNode *data = sd ? child(xmlDocGetRootElement(sd), "sheetData") : NULL;
    if (!rc && !data)
        rc = err_set(err, MIGDEV_E_SYNTAX, NULL, 0, 0, "sheet '%s' cannot be read (%s)", sheet,
                     part);
    if (!rc && read_cells(data, &st, out))
        rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0,
                     "out of memory (or a sheet beyond Excel's size)");
    /* the defined names into this sheet: its own (localSheetId) first */
    for (int local = 1; local >= 0 && !rc; local--)
        for (const xmlNode *c = child(child(root, "definedNames"), "definedName"); !rc && c;
             c = c->next) {
            if (!is_el(c, "definedName"))
                continue;
            xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
            xmlChar *lid = xmlGetProp(c, (const xmlChar *)"localSheetId");
            xmlChar *ref = xmlNodeGetContent(c);
            char *rs = NULL;
            int r0, c0, r1, c1;
            const int here = local ? lid && atoi((const char *)lid) == pos : lid == NULL;
            if (name && ref && here && parse_ref((const char *)ref, &rs, &r0, &c0, &r1, &c1) &&
                strcasecmp(rs, found) == 0 &&
                vsheet_add_name(out, (const char *)name, r0 < r1 ? r0 : r1, c0 < c1 ? c0 : c1,
                                r0 < r1 ? r1 : r0, c0 < c1 ? c1 : c0))
                rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
            free(rs);
            xmlFree(name);
            xmlFree(lid);
            xmlFree(ref);
        }
    xmlFreeDoc(sd);
    xmlFreeDoc(wb);
    free(part);
    free(found);
    strings_free(&st);
    zip_discard(z);
    return rc;
}

/* ------------------------------------------------------------------- xls */

static int read_xls(const char *path, const char *sheet, vsheet *out, migdev_error *err)
{
    const void *h = NULL;
    int rc = 0;
    if (freexl_open(path, &h) != FREEXL_OK) {
        rc = err_set(err, MIGDEV_E_IO, NULL, 0, 0, "cannot open it as an .xls workbook");
        if (h)
            freexl_close(h);
        return rc;
    }
    unsigned int n_sheets = 0;
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &n_sheets) != FREEXL_OK)
        n_sheets = 0;
    int pos = -1;
    for (unsigned short i = 0; i < n_sheets && pos < 0; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(h, i, &name) == FREEXL_OK && name &&
            strcasecmp(name, sheet) == 0)
            pos = i;
    }
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (pos < 0)
        rc = err_set(err, MIGDEV_E_NAME, NULL, 0, 0, "it has no sheet '%s'", sheet);
    else if (freexl_select_active_worksheet(h, (unsigned short)pos) != FREEXL_OK ||
             freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
        rc = err_set(err, MIGDEV_E_SYNTAX, NULL, 0, 0, "sheet '%s' cannot be read", sheet);
    for (unsigned int r = 0; !rc && r < rows; r++)
        for (unsigned short c = 0; !rc && c < cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
                continue;
            char buf[64];
            const char *s = NULL;
            switch (v.type) {
            case FREEXL_CELL_INT:
                snprintf(buf, sizeof buf, "%d", v.value.int_value);
                s = buf;
                break;
            case FREEXL_CELL_DOUBLE:
                snprintf(buf, sizeof buf, "%.17g", v.value.double_value);
                s = buf;
                break;
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
            case FREEXL_CELL_TIME:
                s = v.value.text_value;
                break;
            default:
                break;
            }
            if (s && vsheet_put(out, (int)r, c, s, strlen(s)))
                rc = err_set(err, MIGDEV_E_NOMEM, NULL, 0, 0, "out of memory");
        }
    freexl_close(h);
    return rc;
}

int vsheet_read_book(const char *path, const char *sheet, vsheet *out, migdev_error *err)
{
    memset(out, 0, sizeof *out);
    const char *dot = strrchr(path, '.');
    int rc;
    if (dot && strcasecmp(dot, ".xls") == 0)
        rc = read_xls(path, sheet, out, err);
    else
        rc = read_xlsx(path, sheet, out, err);
    if (rc)
        vsheet_free(out);
    return rc;
}
