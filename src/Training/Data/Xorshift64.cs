namespace LeanMlirVerify.Training.Data;

/// <summary>The original's 64-bit xorshift (13, 7, 17), used for He initialisation and augmentation. State = seed + 1.</summary>
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
