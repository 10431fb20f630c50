namespace LeanMlirVerify.Training.Bestiary;

/// <summary>The task domains of the book's chapter 11, in its section order (11.2.1 – 11.2.6).</summary>
public enum Domain { VisionClassifiers, ObjectDetection, SemanticSegmentation, ImageGeneration, ReinforcementLearning, BeyondVision }

/// <summary>How a domain is named on the command line and in tables.</summary>
public sealed record DomainInfo(Domain Domain, string Key, string Title, string Section)
{
    public static IReadOnlyList<DomainInfo> All { get; } =
    [
        new(Domain.VisionClassifiers, "vision", "Vision classifiers", "11.2.1"),
        new(Domain.ObjectDetection, "detection", "Object detection", "11.2.2"),
        new(Domain.SemanticSegmentation, "segmentation", "Semantic segmentation", "11.2.3"),
        new(Domain.ImageGeneration, "generation", "Image generation", "11.2.4"),
        new(Domain.ReinforcementLearning, "rl", "Reinforcement learning", "11.2.5"),
        new(Domain.BeyondVision, "beyond", "Beyond vision", "11.2.6"),
    ];

    public static DomainInfo Of(Domain domain) => All.Single(d => d.Domain == domain);

    /// <summary>Accepts the key, the title, the enum name or the section number, ignoring case; null when none matches.</summary>
    public static DomainInfo? Find(string text) => All.FirstOrDefault(d =>
        string.Equals(d.Key, text, StringComparison.OrdinalIgnoreCase)
        || string.Equals(d.Title, text, StringComparison.OrdinalIgnoreCase)
        || string.Equals(d.Domain.ToString(), text, StringComparison.OrdinalIgnoreCase)
        || d.Section == text);
}
