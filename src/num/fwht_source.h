/* fwht_source.h — the fast Walsh-Hadamard transform in place, written once
 * in the generic names of tc_templates_on.h (no library provides it).
 * Level h (h = 1, 2, 4, ..., n/2) replaces each pair (x_j, x_{j+h}),
 * j mod 2h < h, by (x_j + x_{j+h}, x_j - x_{j+h}): after all d levels x
 * holds H x with H_ij = (-1)^popcount(i & j), in n d / 2 butterflies. */

#define r_swap FUNCTION(tc_num_swap)
#define vec_prec FUNCTION(tc_num_vec_prec)

int FUNCTION(tc_vec_fwht)(VEC *x)
{
  size_t n = x->n;
  if (n == 0 || (n & (n - 1)) != 0)
    return TC_EBADLEN;
  /* Heap-allocated (r_init), since it is swapped into the vector. */
  REAL t;
  r_init(t, vec_prec(x));
  for (size_t h = 1; h < n; h <<= 1)
    for (size_t i = 0; i < n; i += 2 * h)
      for (size_t j = i; j < i + h; j++) {
        REAL_PTR a = vec_at(x, j);
        REAL_PTR b = vec_at(x, j + h);
        r_sub(t, a, b);
        r_add(a, a, b);
        r_swap(b, t);
      }
  r_clear(t);
  return TC_SUCCESS;
}

#undef r_swap
#undef vec_prec
