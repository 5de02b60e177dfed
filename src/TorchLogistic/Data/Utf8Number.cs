using System.Globalization;

namespace TorchLogistic.Data;

/// <summary>
/// Parses a number from UTF-8 bytes with exactly the result of <c>double.TryParse(text, NumberStyles.Float,
/// CultureInfo.InvariantCulture)</c> on the same text, without making a string. A plain decimal
/// (<c>[-]digits[.digits][e[±]digits]</c>, the form every writer of these files uses) goes to csFastFloat (Lemire's
/// fast_float: correctly rounded, as .NET's parser is since .NET Core 3.0, so the same bits); anything else — a
/// leading '+', spaces, <c>Infinity</c>, very long text — goes to .NET's own parser on the bytes.
/// </summary>
internal static class Utf8Number
{
    /// <summary>Longest plain decimal handed to csFastFloat; longer text goes to .NET's parser.</summary>
    private const int MaxFastLength = 40;

    /// <summary>Parses <paramref name="text"/>; false when .NET's parser would refuse it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        if (IsPlainDecimal(text) && csFastFloat.FastDoubleParser.TryParseDouble(text, out int consumed, out value) && consumed == text.Length)
            return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether <paramref name="text"/> is <c>[-](digits[.digits*] | .digits)[(e|E)[+|-]digits]</c>, at most <see cref="MaxFastLength"/> bytes, exponent at most 4 digits.</summary>
    private static bool IsPlainDecimal(ReadOnlySpan<byte> text)
    {
        if (text.Length == 0 || text.Length > MaxFastLength) return false;
        int i = text[0] == (byte)'-' ? 1 : 0;
        int start = i;
        while (i < text.Length && IsDigit(text[i])) i++;
        int whole = i - start;
        int fraction = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            int at = ++i;
            while (i < text.Length && IsDigit(text[i])) i++;
            fraction = i - at;
        }
        if (whole + fraction == 0) return false;
        if (i == text.Length) return true;
        if (text[i] != (byte)'e' && text[i] != (byte)'E') return false;
        i++;
        if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-')) i++;
        int exponentStart = i;
        while (i < text.Length && IsDigit(text[i])) i++;
        int exponent = i - exponentStart;
        return i == text.Length && exponent is > 0 and <= 4;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
