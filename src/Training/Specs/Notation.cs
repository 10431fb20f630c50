namespace LeanMlirVerify.Training.Specs;

/// <summary>The pieces of the compact layer notation (facts §4) that several constructors' <see cref="Layer.Compact"/> share.</summary>
public static class Notation
{
    public static string Act(Activation a) => a switch { Activation.Relu => "relu", Activation.Relu6 => "relu6", _ => "id" };
    public static string Pad(Padding p) => p == Padding.Same ? "same" : "valid";
}
