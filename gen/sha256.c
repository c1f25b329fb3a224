/* kpmc-gen: SHA-256 (FIPS 180-4), one-shot, in portable C. */
#include "sha256.h"

#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))
#define S0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define S1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define s0(x) (ROR(x, 7) ^ ROR(x, 18) ^ (x) >> 3)
#define s1(x) (ROR(x, 17) ^ ROR(x, 19) ^ (x) >> 10)
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

/* Round i with the eight working variables named in their current roles,
 * so that no round moves them: the next round names them shifted by one. */
#define ROUND(a, b, c, d, e, f, g, h, i, wi)                                                                     \
    do {                                                                                                       \
        uint32_t t = h + S1(e) + CH(e, f, g) + K[i] + (wi);                                                    \
        d += t;                                                                                                \
        h = t + S0(a) + MAJ(a, b, c);                                                                          \
    } while (0)

/* Word i of the schedule, for i >= 16, in a ring of sixteen. */
#define W(i) (w[(i) & 15] += s1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] + s0(w[((i) - 15) & 15]))

#define EIGHT(i, X)                                                                                            \
    ROUND(a, b, c, d, e, f, g, h, (i) + 0, X((i) + 0));                                                         \
    ROUND(h, a, b, c, d, e, f, g, (i) + 1, X((i) + 1));                                                         \
    ROUND(g, h, a, b, c, d, e, f, (i) + 2, X((i) + 2));                                                         \
    ROUND(f, g, h, a, b, c, d, e, (i) + 3, X((i) + 3));                                                         \
    ROUND(e, f, g, h, a, b, c, d, (i) + 4, X((i) + 4));                                                         \
    ROUND(d, e, f, g, h, a, b, c, (i) + 5, X((i) + 5));                                                         \
    ROUND(c, d, e, f, g, h, a, b, (i) + 6, X((i) + 6));                                                         \
    ROUND(b, c, d, e, f, g, h, a, (i) + 7, X((i) + 7))

#define LOAD(i) (w[i])

static void blocks(uint32_t s[8], const uint8_t *p, size_t n)
{
    for (; n; n--, p += 64) {
        uint32_t w[16];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
                   p[4 * i + 3];
        uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
        EIGHT(0, LOAD);
        EIGHT(8, LOAD);
        EIGHT(16, W);
        EIGHT(24, W);
        EIGHT(32, W);
        EIGHT(40, W);
        EIGHT(48, W);
        EIGHT(56, W);
        s[0] += a;
        s[1] += b;
        s[2] += c;
        s[3] += d;
        s[4] += e;
        s[5] += f;
        s[6] += g;
        s[7] += h;
    }
}

void sha256(const void *data, size_t len, uint8_t out[32])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const uint8_t *p = data;
    size_t n = len;
    blocks(h, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
    uint8_t tail[128] = {0};
    memcpy(tail, p, n);
    tail[n] = 0x80;
    size_t tlen = n + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
    blocks(h, tail, tlen / 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}
