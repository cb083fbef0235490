/*
** dtoa.c - shortest round-trip decimals (Ryu).
**
** Ulf Adams, "Ryu: fast float-to-string conversion", PLDI 2018: the
** interval of decimals that round to x is scaled by a power of ten with a
** 128-bit multiplication by a precomputed power of five (dtoa_tables.h,
** from scripts/gen_dtoa_tables.py), then digits are dropped while the
** interval still holds a shorter number. Exact: no floating-point
** arithmetic, no trial printing and reading back. Written from the paper's
** description; the tests compare it with glibc's printf and strtod.
*/
#include "dtoa.h"

#include "dtoa_tables.h"

#include <string.h>

typedef unsigned __int128 u128;

enum { MANT_BITS = 52, EXP_BITS = 11, BIAS = 1023 };

/* floor(log10(2^e)), floor(log10(5^e)), ceil(log2(5^e)) (1 for e = 0). */
static int log10_pow2(int e) { return (int)(((uint32_t)e * 78913u) >> 18); }
static int log10_pow5(int e) { return (int)(((uint32_t)e * 732923u) >> 20); }
static int pow5_bits(int e) { return (int)((((uint32_t)e * 1217359u) >> 19) + 1); }

static int pow5_factor(uint64_t v)
{
    int n = 0;
    while (v % 5 == 0) {
        v /= 5;
        n++;
    }
    return n;
}

static int multiple_of_pow5(uint64_t v, int p) { return pow5_factor(v) >= p; }
static int multiple_of_pow2(uint64_t v, int p) { return (v & ((UINT64_C(1) << p) - 1)) == 0; }

/* (m * mul) >> j, mul a 128-bit constant, j >= 64. */
static uint64_t mul_shift(uint64_t m, const uint64_t mul[2], int j)
{
    const u128 b0 = (u128)m * mul[0];
    const u128 b2 = (u128)m * mul[1];
    return (uint64_t)(((b0 >> 64) + b2) >> (j - 64));
}

int dtoa_shortest(double x, uint64_t *mantissa, int *exponent)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    const uint64_t ieee_m = bits & ((UINT64_C(1) << MANT_BITS) - 1);
    const int ieee_e = (int)((bits >> MANT_BITS) & ((1u << EXP_BITS) - 1));
    int e2;
    uint64_t m2;
    if (ieee_e == 0) {
        e2 = 1 - BIAS - MANT_BITS - 2;
        m2 = ieee_m;
    } else {
        e2 = ieee_e - BIAS - MANT_BITS - 2;
        m2 = (UINT64_C(1) << MANT_BITS) | ieee_m;
    }
    const int accept_bounds = (m2 & 1) == 0; /* round-half-even reads ties back */
    /* the interval: [4 m2 - 1 - mm_shift, 4 m2 + 2] x 2^e2 */
    const uint64_t mv = 4 * m2;
    const uint32_t mm_shift = ieee_m != 0 || ieee_e <= 1;
    uint64_t vr, vp, vm;
    int e10;
    int vm_zeros = 0, vr_zeros = 0;
    if (e2 >= 0) {
        const int q = log10_pow2(e2) - (e2 > 3);
        e10 = q;
        const int k = DTOA_POW5_INV_BITS + pow5_bits(q) - 1;
        const int i = -e2 + q + k;
        vr = mul_shift(4 * m2, dtoa_pow5_inv[q], i);
        vp = mul_shift(4 * m2 + 2, dtoa_pow5_inv[q], i);
        vm = mul_shift(4 * m2 - 1 - mm_shift, dtoa_pow5_inv[q], i);
        if (q <= 21) {
            /* only then can the products be exact multiples of 10^q */
            if (mv % 5 == 0)
                vr_zeros = multiple_of_pow5(mv, q);
            else if (accept_bounds)
                vm_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
            else
                vp -= (uint64_t)multiple_of_pow5(mv + 2, q);
        }
    } else {
        const int q = log10_pow5(-e2) - (-e2 > 1);
        e10 = q + e2;
        const int i = -e2 - q;
        const int k = pow5_bits(i) - DTOA_POW5_BITS;
        const int j = q - k;
        vr = mul_shift(4 * m2, dtoa_pow5[i], j);
        vp = mul_shift(4 * m2 + 2, dtoa_pow5[i], j);
        vm = mul_shift(4 * m2 - 1 - mm_shift, dtoa_pow5[i], j);
        if (q <= 1) {
            vr_zeros = 1; /* mv has at least q trailing zero bits */
            if (accept_bounds)
                vm_zeros = mm_shift == 1;
            else
                --vp;
        } else if (q < 63) {
            vr_zeros = multiple_of_pow2(mv, q);
        }
    }
    /* drop digits while the interval holds a shorter number */
    int removed = 0;
    unsigned last = 0;
    uint64_t out;
    if (vm_zeros || vr_zeros) {
        while (vp / 10 > vm / 10) {
            vm_zeros &= vm % 10 == 0;
            vr_zeros &= last == 0;
            last = (unsigned)(vr % 10);
            vr /= 10, vp /= 10, vm /= 10;
            removed++;
        }
        if (vm_zeros)
            while (vm % 10 == 0) {
                vr_zeros &= last == 0;
                last = (unsigned)(vr % 10);
                vr /= 10, vp /= 10, vm /= 10;
                removed++;
            }
        if (vr_zeros && last == 5 && vr % 2 == 0)
            last = 4; /* exactly halfway: round to even */
        out = vr + ((vr == vm && (!accept_bounds || !vm_zeros)) || last >= 5);
    } else {
        int round_up = 0;
        while (vp / 10 > vm / 10) {
            round_up = vr % 10 >= 5;
            vr /= 10, vp /= 10, vm /= 10;
            removed++;
        }
        out = vr + (vr == vm || round_up);
    }
    int exp = e10 + removed;
    while (out % 10 == 0) { /* defensive: the digits carry no trailing zero */
        out /= 10;
        exp++;
    }
    int n = 1;
    for (uint64_t t = out; t >= 10; t /= 10)
        n++;
    *mantissa = out;
    *exponent = exp;
    return n;
}

char *dtoa_format_g(double x, char *buf)
{
    uint64_t m;
    int e;
    const int n = dtoa_shortest(x, &m, &e);
    char d[20];
    for (int k = n - 1; k >= 0; k--, m /= 10)
        d[k] = (char)('0' + m % 10);
    const int prec = n > 15 ? n : 15;
    const int X = e + n - 1; /* x = d.ddd x 10^X */
    char *p = buf;
    if (x < 0)
        *p++ = '-';
    if (X < -4 || X >= prec) {
        *p++ = d[0];
        if (n > 1) {
            *p++ = '.';
            memcpy(p, d + 1, (size_t)n - 1);
            p += n - 1;
        }
        *p++ = 'e';
        *p++ = X < 0 ? '-' : '+';
        const int ax = X < 0 ? -X : X;
        if (ax >= 100)
            *p++ = (char)('0' + ax / 100);
        *p++ = (char)('0' + ax / 10 % 10);
        *p++ = (char)('0' + ax % 10);
    } else if (X < 0) {
        *p++ = '0';
        *p++ = '.';
        for (int k = 0; k < -X - 1; k++)
            *p++ = '0';
        memcpy(p, d, (size_t)n);
        p += n;
    } else {
        for (int k = 0; k <= X; k++)
            *p++ = k < n ? d[k] : '0';
        if (n > X + 1) {
            *p++ = '.';
            memcpy(p, d + X + 1, (size_t)(n - X - 1));
            p += n - X - 1;
        }
    }
    *p = '\0';
    return buf;
}
