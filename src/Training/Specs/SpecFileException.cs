namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// A spec file that cannot be read: the file as the user named it, the line and column of the node at fault (1-based;
/// 0 when the file itself is the problem), and what is wrong with what was expected. <c>lmv</c> exits 1 on it.
/// </summary>
public sealed class SpecFileException(string file, long line, long column, string problem)
    : Exception(line > 0 ? $"{file}:{line}:{column}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public long Column { get; } = column;
    public string Problem { get; } = problem;
}
