/**
 * Irreducible representations of O(3) and the float64 numerics built on them: {@link
 * org.unite4j.irreps.Irrep} and {@link org.unite4j.irreps.Irreps} ("16x0e+8x1o"), real spherical
 * harmonics ({@link org.unite4j.irreps.SphericalHarmonics}), Wigner D matrices in the same real
 * basis ({@link org.unite4j.irreps.WignerD}), real Clebsch-Gordan tables ({@link
 * org.unite4j.irreps.ClebschGordan}) and the description of a channel-wise CG tensor product
 * ({@link org.unite4j.irreps.TensorProductDescriptor}).
 *
 * <p>Conventions (DESIGN.md section 3): z is the polar axis; the real harmonic of order m is a
 * positive multiple of P_l^|m|(cos theta) cos(m phi) (m &gt; 0), P_l(cos theta) (m = 0) or
 * P_l^|m|(cos theta) sin(|m| phi) (m &lt; 0), without the Condon-Shortley phase, stored at index
 * m + l. So l = 1 is (y, z, x) and l = 2 is (xy, yz, 3z^2 - r^2, xz, x^2 - y^2), each times a
 * positive constant. This package depends on nothing else in the project.
 */
package org.unite4j.irreps;
