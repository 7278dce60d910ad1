package saturn.lmhead.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import saturn.lmhead.format.SafetensorsFormat.DType;

/**
 * One named tensor: dtype, shape (row-major) and its little-endian bytes. The buffer may be a slice of a
 * memory-mapped file; conversions copy.
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

  public Tensor {
    data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long expected = numel(shape) * dtype.bytes;
    if (data.remaining() != expected) {
      throw new IllegalArgumentException(name + ": " + data.remaining() + " bytes for shape " + Arrays.toString(shape)
          + " of " + dtype + " (expected " + expected + ")");
    }
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) n *= s;
    return n;
  }

  public long numel() {
    return numel(shape);
  }

  public static Tensor ofFloats(String name, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new Tensor(name, DType.F32, shape, b);
  }

  public static Tensor ofDoubles(String name, long[] shape, double[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(values);
    return new Tensor(name, DType.F64, shape, b);
  }

  public static Tensor ofLongs(String name, long[] shape, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return new Tensor(name, DType.I64, shape, b);
  }

  /** Values as float (F16 and BF16 widened exactly, F64 rounded). */
  public float[] toFloatArray() {
    int n = Math.toIntExact(numel());
    float[] out = new float[n];
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
      case F16 -> { for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort(i * 2)); }
      case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); }
      case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8); }
      case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
      default -> throw new IllegalArgumentException(name + ": cannot convert " + dtype + " to float");
    }
    return out;
  }

  public double[] toDoubleArray() {
    int n = Math.toIntExact(numel());
    if (dtype == DType.F64) {
      double[] out = new double[n];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
      return out;
    }
    if (dtype == DType.I64) {
      double[] out = new double[n];
      long[] l = toLongArray();
      for (int i = 0; i < n; i++) out[i] = l[i];
      return out;
    }
    float[] f = toFloatArray();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = f[i];
    return out;
  }

  public long[] toLongArray() {
    if (dtype != DType.I64) throw new IllegalArgumentException(name + ": " + dtype + " is not I64");
    long[] out = new long[Math.toIntExact(numel())];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
    return out;
  }

  /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    if (exp == 0) {
      if (mant == 0) return Float.intBitsToFloat(sign);
      float v = mant * 0x1p-24f; // subnormal half: mant * 2^-24, exact in float
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
