// Marks one required symbol version of an ELF shared object as weak (VER_FLG_WEAK in .gnu.version_r), so
// that the dynamic loader accepts a system library that lacks that version. Used by the build (see
// build/NativeLoading.targets) to make TorchSharp 0.107.0's libLibTorchSharp.so load on Debian 12, whose
// libstdc++ (GCC 12) lacks GLIBCXX_3.4.32. The only symbol under that version, std::ios_base_library_init(),
// has no relocation, so the loader never needs it. The file is parsed, never patched at fixed offsets.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory as an inline task (with the Task class),
// and into the library with ELF_PATCH_WITHOUT_MSBUILD defined (the pure ELF logic only, internal there), where
// src/TorchLogistic/Native/ makes the same fix at run time for hosts the build never sees (notebook kernels).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TorchLogistic.Build
{
    /// <summary>What <see cref="ElfVersionNeed.MakeWeak"/> did to a file.</summary>
#if ELF_PATCH_WITHOUT_MSBUILD
    internal enum ElfPatchOutcome
#else
    public enum ElfPatchOutcome
#endif
    {
        /// <summary>The version entry was strong and is now weak.</summary>
        Patched,
        /// <summary>The version entry was already weak: nothing written.</summary>
        AlreadyWeak,
        /// <summary>The file does not require that version from that library: nothing written.</summary>
        NotRequired,
    }

    /// <summary>Reads and edits the version-needed table (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF file.</summary>
#if ELF_PATCH_WITHOUT_MSBUILD
    internal static class ElfVersionNeed
#else
    public static class ElfVersionNeed
#endif
    {
        private const uint ShtRela = 4;
        private const uint ShtDynsym = 11;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtGnuVersym = 0x6fffffff;
        private const ushort VerFlgWeak = 0x2;

        private readonly struct Section
        {
            public Section(uint type, long offset, long size, uint link, uint info, long entSize)
            {
                Type = type; Offset = offset; Size = size; Link = link; Info = info; EntSize = entSize;
            }
            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public uint Link { get; }
            public uint Info { get; }
            public long EntSize { get; }
        }

        /// <summary>One entry of the version-needed table.</summary>
        public readonly struct Requirement
        {
            /// <summary>Creates an entry.</summary>
            public Requirement(string library, string version, ushort flags, ushort index, long flagsOffset)
            {
                Library = library; Version = version; Flags = flags; Index = index; FlagsOffset = flagsOffset;
            }
            /// <summary>The library the version is needed from, e.g. <c>libstdc++.so.6</c>.</summary>
            public string Library { get; }
            /// <summary>The version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
            public string Version { get; }
            /// <summary><c>vna_flags</c>.</summary>
            public ushort Flags { get; }
            /// <summary><c>vna_other</c>: the index symbols use in <c>.gnu.version</c>.</summary>
            public ushort Index { get; }
            /// <summary>File offset of <c>vna_flags</c>.</summary>
            public long FlagsOffset { get; }
            /// <summary>Whether the loader treats a missing version as acceptable.</summary>
            public bool IsWeak => (Flags & VerFlgWeak) != 0;
        }

        /// <summary>Lists every (library, version) the file requires.</summary>
        public static List<Requirement> ReadRequirements(byte[] elf)
        {
            var sections = ReadSections(elf);
            var result = new List<Requirement>();
            foreach (var s in sections)
            {
                if (s.Type != ShtGnuVerneed) continue;
                var strtab = sections[(int)s.Link];
                long vn = s.Offset;
                for (uint i = 0; i < s.Info; i++)
                {
                    ushort cnt = U16(elf, vn + 2);
                    string file = CString(elf, strtab.Offset + U32(elf, vn + 4));
                    long aux = vn + U32(elf, vn + 8);
                    for (int j = 0; j < cnt; j++)
                    {
                        ushort flags = U16(elf, aux + 4);
                        ushort other = U16(elf, aux + 6);
                        string name = CString(elf, strtab.Offset + U32(elf, aux + 8));
                        result.Add(new Requirement(file, name, flags, other, aux + 4));
                        uint nextAux = U32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(elf, vn + 12);
                    if (next == 0) break;
                    vn += next;
                }
            }
            return result;
        }

        /// <summary>Lists the version names a library defines (<c>.gnu.version_d</c>), e.g. every <c>GLIBCXX_*</c> of libstdc++.</summary>
        public static HashSet<string> ReadDefinedVersions(byte[] elf)
        {
            var sections = ReadSections(elf);
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in sections)
            {
                if (s.Type != ShtGnuVerdef) continue;
                var strtab = sections[(int)s.Link];
                long vd = s.Offset;
                for (uint i = 0; i < s.Info; i++)
                {
                    ushort cnt = U16(elf, vd + 6);
                    long aux = vd + U32(elf, vd + 12);
                    if (cnt > 0) result.Add(CString(elf, strtab.Offset + U32(elf, aux)));
                    uint next = U32(elf, vd + 16);
                    if (next == 0) break;
                    vd += next;
                }
            }
            return result;
        }

        /// <summary>
        /// The dynamic symbols bound to the version with index <paramref name="versionIndex"/>, and how many
        /// relocations refer to them. A version whose symbols have no relocation is safe to make weak.
        /// </summary>
        public static (List<string> Symbols, int Relocations) SymbolsOfVersion(byte[] elf, ushort versionIndex)
        {
            var sections = ReadSections(elf);
            int dynsymIndex = sections.FindIndex(s => s.Type == ShtDynsym);
            if (dynsymIndex < 0) throw new InvalidDataException("ELF file has no .dynsym section.");
            var dynsym = sections[dynsymIndex];
            var dynstr = sections[(int)dynsym.Link];
            var versym = sections.Find(s => s.Type == ShtGnuVersym);
            long count = dynsym.Size / dynsym.EntSize;
            var symbols = new List<string>();
            var indices = new HashSet<long>();
            for (long i = 0; i < count; i++)
            {
                ushort v = (ushort)(U16(elf, versym.Offset + 2 * i) & 0x7fff);
                if (v != versionIndex) continue;
                indices.Add(i);
                symbols.Add(CString(elf, dynstr.Offset + U32(elf, dynsym.Offset + i * dynsym.EntSize)));
            }
            int relocations = 0;
            foreach (var s in sections)
            {
                if (s.Type != ShtRela || s.Link != dynsymIndex || s.EntSize == 0) continue;
                for (long r = 0; r < s.Size / s.EntSize; r++)
                {
                    ulong info = U64(elf, s.Offset + r * s.EntSize + 8);
                    if (indices.Contains((long)(info >> 32))) relocations++;
                }
            }
            return (symbols, relocations);
        }

        /// <summary>
        /// Sets <c>VER_FLG_WEAK</c> on the entry that requires <paramref name="version"/> from
        /// <paramref name="library"/>; changes those two bytes only. Idempotent.
        /// </summary>
        public static ElfPatchOutcome MakeWeak(byte[] elf, string library, string version)
        {
            foreach (var r in ReadRequirements(elf))
            {
                if (r.Library != library || r.Version != version) continue;
                if (r.IsWeak) return ElfPatchOutcome.AlreadyWeak;
                ushort flags = (ushort)(r.Flags | VerFlgWeak);
                elf[r.FlagsOffset] = (byte)(flags & 0xff);
                elf[r.FlagsOffset + 1] = (byte)(flags >> 8);
                return ElfPatchOutcome.Patched;
            }
            return ElfPatchOutcome.NotRequired;
        }

        /// <summary>
        /// Finds the library the dynamic loader would use for <paramref name="soname"/>: the directories of
        /// <c>LD_LIBRARY_PATH</c>, then the usual system directories. Null when none is found.
        /// </summary>
        public static string? FindSystemLibrary(string soname)
        {
            var dirs = new List<string>();
            string? ldPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(ldPath)) dirs.AddRange(ldPath!.Split(':'));
            dirs.AddRange(new[]
            {
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
            });
            foreach (string dir in dirs)
            {
                if (dir.Length == 0) continue;
                string path = Path.Combine(dir, soname);
                if (File.Exists(path)) return path;
            }
            return null;
        }

        private static List<Section> ReadSections(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("Not an ELF file (bad magic).");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
            long shoff = (long)U64(elf, 0x28);
            ushort shentsize = U16(elf, 0x3a);
            ushort shnum = U16(elf, 0x3c);
            if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > elf.Length)
                throw new InvalidDataException("ELF section header table is missing or out of bounds.");
            var sections = new List<Section>(shnum);
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                var s = new Section(U32(elf, h + 4), (long)U64(elf, h + 0x18), (long)U64(elf, h + 0x20),
                    U32(elf, h + 0x28), U32(elf, h + 0x2c), (long)U64(elf, h + 0x38));
                if (s.Type != 8 /* SHT_NOBITS */ && s.Offset + s.Size > elf.Length)
                    throw new InvalidDataException($"ELF section {i} lies outside the file.");
                sections.Add(s);
            }
            return sections;
        }

        private static ushort U16(byte[] b, long o) => (ushort)(b[o] | (b[o + 1] << 8));
        private static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        private static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);

        private static string CString(byte[] b, long o)
        {
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }

#if !ELF_PATCH_WITHOUT_MSBUILD
    /// <summary>
    /// MSBuild task: for each file, if the system <see cref="Library"/> lacks <see cref="Version"/> and the
    /// version's symbols have no relocation, mark the requirement weak. Does nothing on a system that has it.
    /// </summary>
    public sealed class MakeElfVersionWeak : Microsoft.Build.Utilities.Task
    {
        /// <summary>ELF files to patch in place (copies in the build output, never the NuGet cache).</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>The needed library, e.g. <c>libstdc++.so.6</c>.</summary>
        [Microsoft.Build.Framework.Required]
        public string Library { get; set; } = "";

        /// <summary>The needed version, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        [Microsoft.Build.Framework.Required]
        public string Version { get; set; } = "";

        /// <inheritdoc />
        public override bool Execute()
        {
            string? system = ElfVersionNeed.FindSystemLibrary(Library);
            if (system == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{Library} not found on this system; nothing to patch.");
                return true;
            }
            if (ElfVersionNeed.ReadDefinedVersions(File.ReadAllBytes(system)).Contains(Version))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{system} defines {Version}; nothing to patch.");
                return true;
            }
            foreach (var item in Files)
            {
                string path = item.ItemSpec;
                if (!File.Exists(path)) continue;
                byte[] elf = File.ReadAllBytes(path);
                var requirement = ElfVersionNeed.ReadRequirements(elf).Find(r => r.Library == Library && r.Version == Version);
                if (requirement.Version == null)
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{path} does not need {Version}.");
                    continue;
                }
                if (requirement.IsWeak) continue;
                var (symbols, relocations) = ElfVersionNeed.SymbolsOfVersion(elf, requirement.Index);
                if (relocations > 0)
                {
                    Log.LogWarning($"{path} needs {Version} from {Library}, which {system} lacks, and {relocations} relocation(s) use it " +
                                   $"({string.Join(", ", symbols)}): not patched, the library will fail to load. Install a newer libstdc++.");
                    continue;
                }
                ElfVersionNeed.MakeWeak(elf, Library, Version);
                string temp = path + ".patching";
                File.WriteAllBytes(temp, elf);
                File.Copy(temp, path, overwrite: true);
                File.Delete(temp);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"Marked {Version} of {Library} weak in {path} (system {system} lacks it; symbols {string.Join(", ", symbols)} have no relocation).");
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
