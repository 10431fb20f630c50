using LeanMlirVerify.Training.Runs;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>
/// The real disk with failures on request: tests run as root (chmod does not stop root) and cannot mount a small
/// file system, so a read-only folder and a full disk are simulated here, at the seam the trainer writes through.
/// A full disk fails the way a real one does: the bytes that fit are written, then IOException with ENOSPC (28).
/// </summary>
sealed class SimulatedDisk : RunFiles
{
    /// <summary>Creating a file whose path matches throws "permission denied".</summary>
    public Func<string, bool> ReadOnly { get; init; } = _ => false;

    /// <summary>A created file whose path matches takes this many bytes, then the disk is full.</summary>
    public Func<string, long?> FullAfter { get; init; } = _ => null;

    /// <summary>Appends to a file whose path matches take this many bytes in all, then the disk is full.</summary>
    public Func<string, long?> AppendFullAfter { get; init; } = _ => null;

    /// <summary>What <see cref="FreeBytes"/> reports (null: the real free space).</summary>
    public long? Free { get; init; }

    public static IOException NoSpace(string path) => new($"No space left on device : '{path}'", 28);

    public override Stream Create(string path)
    {
        if (ReadOnly(path)) throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        var stream = base.Create(path);
        return FullAfter(path) is { } limit ? new LimitedStream(stream, path, limit) : stream;
    }

    public override Stream Append(string path)
    {
        var stream = base.Append(path);
        return AppendFullAfter(path) is { } limit ? new LimitedStream(stream, path, limit) : stream;
    }

    public override long? FreeBytes(string folder) => Free ?? base.FreeBytes(folder);

    sealed class LimitedStream(Stream inner, string path, long room) : Stream
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int fits = (int)Math.Min(room, buffer.Length);
            inner.Write(buffer[..fits]);
            room -= fits;
            if (fits < buffer.Length) throw NoSpace(path);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
