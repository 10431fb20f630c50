namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// The original's 64-bit xorshift (13, 7, 17): He initialisation (<see cref="Init.He"/>) and the trainer's augmentation
/// and synthetic-data streams. State = seed + 1. It lives here, below the trainer, because the initialiser does.
/// </summary>
public struct Xorshift64(ulong seed)
{
    ulong s = seed + 1;

    public ulong State => s;

    public ulong Next()
    {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
}
