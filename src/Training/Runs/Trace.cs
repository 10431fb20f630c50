using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Runs;

/// <summary>Line 1 of a trace (training facts §3.1): what was trained, how, and on which data.</summary>
public sealed record TraceHeader(string NetspecName, TrainConfig Config, long TotalParams, DatasetKind Dataset, string Phase = "lmv");

/// <summary>
/// One training step: global step (from 1), 0-based epoch, the pre-update mini-batch loss, the lr used, the L2 norm
/// over all gradients (<c>grad_norm</c>, as the format documents) and the L2 norm of each parameter tensor's gradient
/// (<c>grad_norms</c>, our addition).
/// </summary>
public sealed record TraceStep(
    long Step, int Epoch, double Loss, double Lr, double? GradNorm = null, IReadOnlyDictionary<string, double>? GradNorms = null);

public sealed record Trace(TraceHeader Header, IReadOnlyList<TraceStep> Steps);

/// <summary>
/// JSON-Lines trace: a header line then one line per step, floats at full precision (shortest round-trip form, not
/// the original phase 3's 6 decimals); non-finite values are written as the strings "NaN", "Infinity", "-Infinity".
/// Each line goes to the file in one unbuffered write, so a crash can cut only the last line short.
/// </summary>
public sealed class TraceWriter : IDisposable
{
    readonly string path;
    readonly Stream stream;
    bool failed;

    TraceWriter(string path, Stream stream)
    {
        this.path = path;
        this.stream = stream;
    }

    /// <summary>Starts a new trace file with its header (written atomically), replacing any old one.</summary>
    public static TraceWriter Create(string path, TraceHeader header, RunFiles? files = null) =>
        Start(path, [TraceJson.Header(header)], files);

    /// <summary>
    /// Continues a trace after a resume from step <paramref name="lastStep"/>. The header must match but for the epoch
    /// count (a resume may extend the run), and is rewritten with the new one; steps after <paramref name="lastStep"/>
    /// (written after that checkpoint) are dropped, and so is a last line cut short by a crash, reported to
    /// <paramref name="warn"/>. The kept steps must reach <paramref name="lastStep"/>, or the trace is another run's.
    /// </summary>
    public static TraceWriter Resume(string path, TraceHeader header, long lastStep, RunFiles? files = null, Action<string>? warn = null)
    {
        var old = TraceReader.Read(path, warn ?? (_ => { }));
        var oldHeader = old.Header with { Config = old.Header.Config with { Epochs = header.Config.Epochs } };
        var differences = TraceDiff.HeaderDifferences(oldHeader, header);
        if (differences.Count > 0) throw new InvalidDataException(
            $"{path}: cannot resume, header differs: {string.Join("; ", differences)}");
        var kept = old.Steps.Where(s => s.Step <= lastStep).ToList();
        if (kept.Count > 0 && kept[^1].Step != lastStep)
            throw new InvalidDataException($"{path}: its steps end at {kept[^1].Step}, the checkpoint is at step {lastStep}: "
                + "it is not the trace of this checkpoint's run");
        return Start(path, [TraceJson.Header(header), .. kept.Select(TraceJson.Step)], files);
    }

    static TraceWriter Start(string path, IEnumerable<JsonObject> lines, RunFiles? files)
    {
        files ??= RunFiles.Disk;
        AtomicFile.Write(path, s => { foreach (var line in lines) s.Write(Bytes(line)); }, files);
        try { return new TraceWriter(path, files.Append(path)); }
        catch (Exception e) when (RunIoException.IsIo(e)) { throw new RunIoException(path, e); }
    }

    public void Write(TraceStep step)
    {
        try
        {
            stream.Write(Bytes(TraceJson.Step(step)));
            stream.Flush();
        }
        catch (Exception e) when (RunIoException.IsIo(e))
        {
            failed = true;
            throw new RunIoException(path, e);
        }
    }

    static byte[] Bytes(JsonObject line) => Encoding.UTF8.GetBytes(line.ToJsonString() + "\n");

    public void Dispose()
    {
        try { stream.Dispose(); }
        catch (Exception e) when (failed && RunIoException.IsIo(e)) { } // the write that failed was reported already
    }
}

public static class TraceReader
{
    /// <summary>Reads a trace; a malformed line throws <see cref="FormatException"/> naming the file and line number.</summary>
    public static Trace Read(string path) => Read(path, null);

    /// <summary>
    /// Reads a trace. With <paramref name="tornLastLine"/>, a last line that is cut short (no newline at the end of the
    /// file, not valid JSON: a crash while writing it) is dropped and reported to it instead of failing.
    /// </summary>
    public static Trace Read(string path, Action<string>? tornLastLine)
    {
        string text = File.ReadAllText(path);
        var lines = text.Split('\n');
        int count = lines.Length;
        if (count > 0 && lines[^1].Length == 0) count--; // the newline that ends the last line
        if (count == 0) throw new FormatException($"{path}: empty trace (expected a header line)");
        TraceHeader? header = null;
        var steps = new List<TraceStep>();
        for (int i = 0; i < count; i++)
        {
            if (lines[i].Length == 0) continue;
            try
            {
                var o = JsonNode.Parse(lines[i]) as JsonObject ?? throw new FormatException("expected a JSON object");
                string kind = o["kind"]?.GetValue<string>() ?? throw new FormatException("missing \"kind\"");
                if (i == 0 && kind != "header") throw new FormatException($"expected the header, found kind \"{kind}\"");
                if (kind == "header") header = i == 0 ? TraceJson.ReadHeader(o) : throw new FormatException("a second header");
                else if (kind == "step") steps.Add(TraceJson.ReadStep(o));
                else throw new FormatException($"unknown kind \"{kind}\"");
            }
            catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
            {
                bool torn = i == count - 1 && i > 0 && !text.EndsWith('\n') && e is JsonException;
                if (!torn || tornLastLine is null) throw new FormatException($"{path}: line {i + 1}: {e.Message}", e);
                tornLastLine($"warning: {path}: line {i + 1} is cut short (a crash while writing it?); dropped it");
            }
        }
        return new Trace(header!, steps);
    }
}

/// <summary>The JSON shape of header and step lines.</summary>
static class TraceJson
{
    public static JsonObject Header(TraceHeader h) => new()
    {
        ["kind"] = "header",
        ["phase"] = h.Phase,
        ["netspec_name"] = h.NetspecName,
        ["config"] = ConfigJson.ToJson(h.Config),
        ["total_params"] = h.TotalParams,
        ["dataset"] = ConfigJson.DatasetName(h.Dataset),
        ["emitter_version"] = "1",
    };

    public static TraceHeader ReadHeader(JsonObject o) => new(
        Required(o, "netspec_name").GetValue<string>(),
        ConfigJson.FromJson(Required(o, "config")),
        Required(o, "total_params").GetValue<long>(),
        ConfigJson.ParseDataset(Required(o, "dataset").GetValue<string>()),
        o["phase"]?.GetValue<string>() ?? "");

    public static JsonObject Step(TraceStep s)
    {
        var o = new JsonObject
        {
            ["kind"] = "step",
            ["step"] = s.Step,
            ["epoch"] = s.Epoch,
            ["loss"] = Number(s.Loss),
            ["lr"] = Number(s.Lr)
        };
        if (s.GradNorm is { } g) o["grad_norm"] = Number(g);
        if (s.GradNorms is { } norms) o["grad_norms"] = new JsonObject(
            norms.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Number(kv.Value))));
        return o;
    }

    public static TraceStep ReadStep(JsonObject o) => new(
        Required(o, "step").GetValue<long>(),
        Required(o, "epoch").GetValue<int>(),
        ReadNumber(Required(o, "loss")),
        ReadNumber(Required(o, "lr")),
        o["grad_norm"] is { } g ? ReadNumber(g) : null,
        o["grad_norms"] is JsonObject norms ? norms.ToDictionary(kv => kv.Key, kv => ReadNumber(kv.Value!)) : null);

    static JsonNode Required(JsonObject o, string key) => o[key] ?? throw new FormatException($"missing \"{key}\"");

    static JsonNode Number(double v) =>
        double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture));

    static double ReadNumber(JsonNode n) => n.GetValueKind() == JsonValueKind.String
        ? double.Parse(n.GetValue<string>(), CultureInfo.InvariantCulture)
        : n.GetValue<double>();
}
