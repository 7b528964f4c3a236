/* rng.c — deterministic random numbers for landrec-synth: xoshiro256** (Blackman and Vigna)
 * seeded through splitmix64 from (seed, sheet, page, stream). libc's rand() is neither
 * portable nor independent per stream. */
#include <math.h>

#include "synth.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void lr_synth_rng_seed(lr_synth_rng *out_rng, uint64_t seed, uint64_t sheet, uint64_t page,
                       uint64_t stream)
{
    if (!out_rng)
        return;
    /* Each component is mixed in on its own, so (1, 2) and (2, 1) give unrelated streams. */
    uint64_t x = seed;
    uint64_t h = splitmix64(&x);
    x = h ^ (sheet * 0xd1b54a32d192ed03ull);
    h = splitmix64(&x);
    x = h ^ (page * 0x8cb92ba72f3d8dd7ull);
    h = splitmix64(&x);
    x = h ^ (stream * 0xabc98388fb8fac03ull);
    for (int i = 0; i < 4; i++)
        out_rng->s[i] = splitmix64(&x);
}

uint64_t lr_synth_rng_next(lr_synth_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double lr_synth_rng_uniform(lr_synth_rng *r)
{
    return (double)(lr_synth_rng_next(r) >> 11) * 0x1.0p-53;
}

int lr_synth_rng_int(lr_synth_rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = (uint64_t)((int64_t)hi - lo) + 1;
    return (int)(lo + (int64_t)(lr_synth_rng_next(r) % span));
}

double lr_synth_rng_range(lr_synth_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * lr_synth_rng_uniform(r);
}

bool lr_synth_rng_chance(lr_synth_rng *r, double p)
{
    return lr_synth_rng_uniform(r) < p;
}

double lr_synth_rng_normal(lr_synth_rng *r)
{
    /* Box–Muller; one value per call keeps the stream's use simple to follow. */
    double u1 = lr_synth_rng_uniform(r);
    double u2 = lr_synth_rng_uniform(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

int lr_synth_rng_weighted(lr_synth_rng *r, const double *weights, int n)
{
    double total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    double x = lr_synth_rng_uniform(r) * total;
    for (int i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}
