using System.Text;
using System.Text.RegularExpressions;

namespace TorchLogistic.Tests.Architecture;

/// <summary>
/// The <c>TorchLogistic.X</c> namespaces a C# source file refers to: <c>using</c> directives, fully qualified names
/// (<c>TorchLogistic.Data.Dataset</c>), names qualified relative to a sibling namespace (<c>Data.PolynomialFeatures</c>
/// inside <c>namespace TorchLogistic.Training</c>) and <c>cref</c>s. Comments and string literals are skipped, the
/// holes of interpolated strings are not.
/// </summary>
public static class SourceReferences
{
    private static readonly Regex Cref = new(@"cref=""([^""]*)""");
    private static readonly Regex Namespace = new(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline);

    /// <summary>The file's namespace (file-scoped or block), or null.</summary>
    public static string? NamespaceOf(string source) => Namespace.Match(CodeOf(source)) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The second segment X of every <c>TorchLogistic.X</c> the file uses, among <paramref name="folders"/>.</summary>
    public static ISet<string> Referenced(string source, IEnumerable<string> folders)
    {
        var names = folders.ToArray();
        string alternatives = string.Join("|", names.Select(Regex.Escape));
        var qualified = new Regex($@"\bTorchLogistic\.({alternatives})\b");
        var relative = new Regex($@"(?<![\w.])({alternatives})\.(?=[A-Za-z_])");
        string code = CodeOf(source);
        var crefs = string.Join("\n", Cref.Matches(source).Select(m => m.Groups[1].Value));
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (string text in new[] { code, crefs })
        {
            foreach (Match m in qualified.Matches(text)) found.Add(m.Groups[1].Value);
            foreach (Match m in relative.Matches(text)) found.Add(m.Groups[1].Value);
        }
        return found;
    }

    /// <summary><paramref name="source"/> without comments and without the literal text of strings and characters.</summary>
    public static string CodeOf(string source)
    {
        var code = new StringBuilder(source.Length);
        var holes = new Stack<int>(); // brace depth inside each open interpolated string's hole
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            char next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (holes.Count > 0 && c == '}' && holes.Peek() == 0)
            {
                holes.Pop();
                i = SkipString(source, i + 1, interpolated: true, verbatim: false, holes);
                continue;
            }
            if (holes.Count > 0 && c == '{') holes.Push(holes.Pop() + 1);
            if (holes.Count > 0 && c == '}') holes.Push(holes.Pop() - 1);
            if (c == '/' && next == '/') { while (i < source.Length && source[i] != '\n') i++; continue; }
            if (c == '/' && next == '*') { int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal); i = end < 0 ? source.Length : end + 2; continue; }
            if (c == '\'') { i = SkipChar(source, i); code.Append("' '"); continue; }
            if (c == '"' || ((c == '$' || c == '@') && (next == '"' || ((next == '$' || next == '@') && i + 2 < source.Length && source[i + 2] == '"'))))
            {
                int quote = source.IndexOf('"', i);
                string prefix = source[i..quote];
                code.Append("\"\"");
                i = SkipString(source, quote + 1, prefix.Contains('$'), prefix.Contains('@'), holes);
                continue;
            }
            code.Append(c);
            i++;
        }
        return code.ToString();
    }

    /// <summary>Skips the literal text of a string from <paramref name="i"/>; stops after its closing quote, or after the <c>{</c> that opens a hole.</summary>
    private static int SkipString(string s, int i, bool interpolated, bool verbatim, Stack<int> holes)
    {
        while (i < s.Length)
        {
            char c = s[i];
            if (!verbatim && c == '\\') { i += 2; continue; }
            if (verbatim && c == '"' && i + 1 < s.Length && s[i + 1] == '"') { i += 2; continue; }
            if (c == '"') return i + 1;
            if (interpolated && c == '{')
            {
                if (i + 1 < s.Length && s[i + 1] == '{') { i += 2; continue; }
                holes.Push(0);
                return i + 1;
            }
            if (interpolated && c == '}' && i + 1 < s.Length && s[i + 1] == '}') { i += 2; continue; }
            i++;
        }
        return i;
    }

    private static int SkipChar(string s, int i)
    {
        i++;
        while (i < s.Length && s[i] != '\'') i += s[i] == '\\' ? 2 : 1;
        return i + 1;
    }
}
