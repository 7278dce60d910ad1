package saturn.eval.metrics;

/** A floating-point format in which softmax is evaluated, with round-to-nearest-even into it. */
public enum Precision {
  FP16(16),
  FP32(32),
  FP64(64);

  public final int bits;

  Precision(int bits) {
    this.bits = bits;
  }

  /** x rounded to this precision (returned as a double holding that value exactly). */
  public double round(double x) {
    switch (this) {
      case FP64:
        return x;
      case FP32:
        return (float) x;
      default:
        return half(x);
    }
  }

  public static Precision ofBits(int bits) {
    for (Precision p : values()) if (p.bits == bits) return p;
    throw new IllegalArgumentException("precision must be 16, 32 or 64 bits, got " + bits);
  }

  /** IEEE binary16 rounding of a double, straight from the double (nearest, ties to even; subnormals; overflow to ±∞). */
  static double half(double f) {
    if (Double.isNaN(f) || Double.isInfinite(f) || f == 0) return f;
    double a = Math.abs(f);
    if (a >= 65520.0) return Math.copySign(Double.POSITIVE_INFINITY, f); // rounds past the largest half, 65504
    // spacing of halves around a: 2^(e-10) for normals (e >= -14), 2^-24 for subnormals
    double ulp = Math.scalb(1.0, Math.max(Math.getExponent(a), -14) - 10);
    return Math.copySign(Math.rint(a / ulp) * ulp, f); // a/ulp is exact (power of two); rint ties to even
  }
}
