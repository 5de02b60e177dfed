using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace TorchLogistic.Data;

/// <summary>
/// Parses a number from UTF-8 bytes with exactly the result of <c>double.TryParse(text, NumberStyles.Float,
/// CultureInfo.InvariantCulture)</c> on the same text, without making a string. A plain decimal
/// (<c>[-]digits[.digits][e[±]digits]</c> with at most 19 significant digits — the form every writer of these files
/// uses) is converted here: exactly by Clinger's fast path when the digits and the power of ten are both exact doubles,
/// otherwise by the Eisel–Lemire algorithm (Lemire, "Number parsing at a gigabyte per second", 2021; as in fast_float),
/// which is correctly rounded, as .NET's parser is since .NET Core 3.0 — so the same bits. Anything else (a leading
/// '+', spaces, <c>Infinity</c>, more digits, a subnormal or overflowing result, the rare products Eisel–Lemire cannot
/// decide) goes to .NET's own parser on the bytes.
/// </summary>
internal static class Utf8Number
{
    private const int SmallestPowerOfTen = -342, LargestPowerOfTen = 308;

    private static readonly double[] ExactPowersOfTen =
    {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /// <summary>5^q for q in [−342, 308], normalised to 128 bits (top bit set): high word at 2(q + 342), low word after it; fast_float's table.</summary>
    private static readonly ulong[] PowersOfFive = MakePowersOfFive();

    /// <summary>Parses <paramref name="text"/>; false when .NET's parser would refuse it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value) =>
        TryPlainDecimal(text, out value) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The value of a plain decimal, when it is one this class converts itself; false sends the text to .NET's parser.</summary>
    private static bool TryPlainDecimal(ReadOnlySpan<byte> text, out double value)
    {
        int used = ParsePlainDecimalPrefix(text, out value);
        return used > 0 && used == text.Length;
    }

    /// <summary>
    /// The plain decimal at the start of <paramref name="text"/> (up to the first byte that cannot continue it) and
    /// the bytes it takes, or 0 when this class does not convert it itself (then the caller must hand the whole token
    /// to <see cref="TryParse"/>). When the returned length is the whole token, <paramref name="value"/> is what
    /// <see cref="TryParse"/> gives for it, bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ParsePlainDecimalPrefix(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }
        ulong w = 0;
        int significant = 0, digits = 0;
        long q = 0;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            // Eight digits at a time once the leading zeros are behind (fast_float's SWAR conversion).
            if (significant > 0 && significant <= 11 && i + 8 <= text.Length && TryEightDigits(text.Slice(i, 8), out uint eight))
            {
                w = w * 100_000_000 + eight;
                significant += 8;
                digits += 8;
                i += 8;
                continue;
            }
            uint d = (uint)(text[i] - '0');
            if (significant > 0 || d != 0)
            {
                if (++significant > 19) return 0;
                w = w * 10 + d;
            }
            digits++;
            i++;
        }
        if (i < text.Length && text[i] == (byte)'.')
        {
            i++;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                if (significant > 0 && significant <= 11 && i + 8 <= text.Length && TryEightDigits(text.Slice(i, 8), out uint eight))
                {
                    w = w * 100_000_000 + eight;
                    significant += 8;
                    q -= 8;
                    digits += 8;
                    i += 8;
                    continue;
                }
                uint d = (uint)(text[i] - '0');
                if (significant > 0 || d != 0)
                {
                    if (++significant > 19) return 0;
                    w = w * 10 + d;
                }
                q--;
                digits++;
                i++;
            }
        }
        if (digits == 0) return 0;
        if (i < text.Length && (text[i] == (byte)'e' || text[i] == (byte)'E'))
        {
            i++;
            bool negativeExponent = false;
            if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-'))
            {
                negativeExponent = text[i] == (byte)'-';
                i++;
            }
            int start = i;
            long exponent = 0;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                exponent = exponent * 10 + (text[i] - '0');
                i++;
            }
            if (i == start || i - start > 5) return 0;
            q += negativeExponent ? -exponent : exponent;
        }
        if (w == 0)
        {
            value = negative ? -0.0 : 0.0;
            return i;
        }
        if (q >= -22 && q <= 22 && w <= 1UL << 53)
        {
            double exact = w;
            exact = q < 0 ? exact / ExactPowersOfTen[-q] : exact * ExactPowersOfTen[q];
            value = negative ? -exact : exact;
            return i;
        }
        if (q < SmallestPowerOfTen || q > LargestPowerOfTen) return 0;
        if (!TryEiselLemire((int)q, w, out ulong bits)) return 0;
        value = BitConverter.UInt64BitsToDouble(bits | (negative ? 1UL << 63 : 0));
        return i;
    }

    /// <summary>The value of eight ASCII digits, or false when one of the eight bytes is not a digit (fast_float's SWAR test and conversion).</summary>
    private static bool TryEightDigits(ReadOnlySpan<byte> eight, out uint value)
    {
        ulong chunk = BinaryPrimitives.ReadUInt64LittleEndian(eight);
        if ((((chunk + 0x4646464646464646UL) | (chunk - 0x3030303030303030UL)) & 0x8080808080808080UL) != 0)
        {
            value = 0;
            return false;
        }
        chunk -= 0x3030303030303030UL;
        chunk = chunk * 10 + (chunk >> 8);
        const ulong mask = 0x000000FF000000FFUL, mul1 = 100 + (1_000_000UL << 32), mul2 = 1 + (10_000UL << 32);
        value = (uint)((((chunk & mask) * mul1) + (((chunk >> 16) & mask) * mul2)) >> 32);
        return true;
    }

    /// <summary>The bits of w·10^q (w ≠ 0, normal result) by Eisel–Lemire; false when the result is subnormal, infinite or not decided by 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryEiselLemire(int q, ulong w, out ulong bits)
    {
        bits = 0;
        int lz = BitOperations.LeadingZeroCount(w);
        w <<= lz;
        int index = 2 * (q - SmallestPowerOfTen);
        ulong high = Math.BigMul(w, PowersOfFive[index], out ulong low);
        const ulong precisionMask = ulong.MaxValue >> 55;
        if ((high & precisionMask) == precisionMask)
        {
            ulong secondHigh = Math.BigMul(w, PowersOfFive[index + 1], out _);
            low += secondHigh;
            if (secondHigh > low) high++;
        }
        if (low == ulong.MaxValue && (q < -27 || q > 55)) return false;
        int upperBit = (int)(high >> 63);
        int shift = upperBit + 64 - 52 - 3;
        ulong mantissa = high >> shift;
        int power2 = (((152170 + 65536) * q) >> 16) + 63 + upperBit - lz + 1023;
        if (power2 <= 0) return false;
        if (low <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high) mantissa &= ~1UL;
        mantissa += mantissa & 1;
        mantissa >>= 1;
        if (mantissa >= 2UL << 52)
        {
            mantissa = 1UL << 52;
            power2++;
        }
        mantissa &= ~(1UL << 52);
        if (power2 >= 0x7FF) return false;
        bits = mantissa | ((ulong)power2 << 52);
        return true;
    }

    private static ulong[] MakePowersOfFive()
    {
        var table = new ulong[2 * (LargestPowerOfTen - SmallestPowerOfTen + 1)];
        var two128 = BigInteger.One << 128;
        for (int q = SmallestPowerOfTen; q <= LargestPowerOfTen; q++)
        {
            BigInteger c;
            if (q >= 0)
            {
                c = BigInteger.Pow(5, q);
                long length = (long)c.GetBitLength();
                c = length < 128 ? c << (int)(128 - length) : c >> (int)(length - 128);
            }
            else
            {
                var power5 = BigInteger.Pow(5, -q);
                int z = (int)power5.GetBitLength();
                c = (BigInteger.One << (q >= -27 ? z + 127 : 2 * z + 128)) / power5 + 1;
                while (c >= two128) c >>= 1;
            }
            int index = 2 * (q - SmallestPowerOfTen);
            table[index] = (ulong)(c >> 64);
            table[index + 1] = (ulong)(c & ulong.MaxValue);
        }
        return table;
    }
}
