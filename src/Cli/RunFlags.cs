using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Cli;

/// <summary>What <c>lmv train</c> and <c>lmv ablation</c> share: the run-folder flags, value parsing and the exit-code map.</summary>
static class RunFlags
{
    public static Option<string?> Resume() => new("--resume")
    {
        Description = "continue a run: its checkpoint file or its folder (the configuration comes from the checkpoint; "
            + "flags given again must agree, --epochs may extend it; --out defaults to the checkpoint's folder)",
    };

    public static Option<bool> Overwrite() => new("--overwrite")
    {
        Description = "replace the run that --out holds (its files only); without it such a run is refused",
    };

    /// <summary>--lr with a message a person can act on for "inf", "nan", "-1" or "abc".</summary>
    public static Option<double?> LearningRate(string description) => new("--lr")
    {
        Description = description,
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (ConfigRequest.LearningRateProblem(token) is { } problem)
            {
                result.AddError(problem);
                return null;
            }
            return double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture);
        },
    };

    /// <summary>An optional whole-number flag whose bad value reads "--epochs x: expected a whole number of at least 1".</summary>
    public static Option<T?> Count<T>(string name, string description) where T : struct, System.Numerics.IBinaryInteger<T> => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (T.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out T n)) return n;
            result.AddError($"{name} {token}: expected a whole number of at least 1");
            return null;
        },
    };

    /// <summary>The value of <paramref name="option"/> when the user gave it, null when its default applies.</summary>
    public static T? Given<T>(ParseResult r, Option<T> option) where T : class =>
        r.GetResult(option) is { Implicit: false } ? r.GetValue(option) : null;

    /// <summary>
    /// The output folder: --out, else the resumed checkpoint's own folder, else <paramref name="fallback"/>; so that
    /// <c>--resume DIR</c> continues the run in DIR.
    /// </summary>
    public static string OutDir(string? outDir, string? resume, string fallback) =>
        outDir ?? (resume is null ? fallback : Path.GetDirectoryName(Path.GetFullPath(RunFolder.ResumeCheckpoint(resume)))!);

    /// <summary>Prints a refusal or failure that <see cref="ExitCodes"/> knows as "lmv COMMAND: message"; returns its exit code.</summary>
    public static int Report(string command, Exception e)
    {
        Console.Error.WriteLine($"lmv {command}: {e.Message}");
        return ExitCodes.For(e)!.Value;
    }

    public static void PrintProblems(string command, IEnumerable<string> problems)
    {
        foreach (var p in problems) Console.Error.WriteLine($"lmv {command}: {p}");
    }
}
