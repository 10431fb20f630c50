using System.Reflection;
using System.Runtime.Loader;

namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// Loads the plugin assemblies a spec file names, each once per process, into its own <see cref="AssemblyLoadContext"/>.
/// The host's assemblies (this library, the VJP algebra, TorchSharp) are shared with every plugin on purpose: a custom
/// rule must derive from the host's <c>HasVjp</c> and implement the host's <see cref="ICustomLayer"/>, not from a second
/// copy of them, or the builder could not use it. Anything else a plugin needs comes from its own folder.
/// </summary>
public static class SpecPlugins
{
    static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);
    static readonly Lock Gate = new();

    /// <summary>The assembly at <paramref name="fullPath"/>; throws <see cref="FileNotFoundException"/> or
    /// <see cref="BadImageFormatException"/> as the runtime does.</summary>
    public static Assembly Load(string fullPath)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(fullPath, out var known)) return known;
            var assembly = new PluginContext(fullPath).LoadFromAssemblyPath(fullPath);
            Loaded.Add(fullPath, assembly);
            return assembly;
        }
    }

    /// <summary>The public, concrete types of <paramref name="assembly"/> that implement <see cref="ICustomLayer"/>.</summary>
    public static IEnumerable<Type> CustomLayerTypes(Assembly assembly) =>
        assembly.GetExportedTypes().Where(t => !t.IsAbstract && typeof(ICustomLayer).IsAssignableFrom(t));

    sealed class PluginContext(string path) : AssemblyLoadContext($"lmv plugin {Path.GetFileName(path)}")
    {
        readonly string folder = Path.GetDirectoryName(path)!;

        protected override Assembly? Load(AssemblyName name)
        {
            try
            {
                return Default.LoadFromAssemblyName(name); // shared with the host (see the class summary)
            }
            catch (FileNotFoundException)
            {
                var own = Path.Combine(folder, name.Name + ".dll");
                return File.Exists(own) ? LoadFromAssemblyPath(own) : null;
            }
        }
    }
}
