using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// Recipes by name for <c>lmv train --config</c>: <c>book</c> (the net's own recipe from the catalog), <c>baseline</c>
/// (s4tfBaseline: SGD lr 0.1, batch 128, 12 epochs — the book's chapter 3/4 program) and the ablation runner's builders.
/// </summary>
public static class RecipeNames
{
    public static IReadOnlyList<(string Name, string Description, Func<CatalogEntry, TrainConfig> Make)> All { get; } =
    [
        ("book", "the net's own recipe (catalog)", e => e.Config),
        ("baseline", "s4tfBaseline: SGD(+momentum 0.9) lr 0.1, batch 128, 12 epochs", _ => Recipes.S4tfBaseline(12)),
        ("sgd-low", "sgdLowLr: SGD lr 0.01, 15 epochs", _ => Recipes.SgdLowLr()),
        ("sgd-low2", "sgdLowLr2: SGD lr 0.002, 15 epochs", _ => Recipes.SgdLowLr2()),
        ("adam", "adamOnly: Adam lr 1e-3, 15 epochs", _ => Recipes.AdamOnly()),
        ("adam-cosine", "adamCosine: Adam, cosine, warmup 1, 15 epochs", _ => Recipes.AdamCosine()),
        ("adam-cosine-aug", "adamCosineAug: Adam, cosine, warmup 2, augmentation, 30 epochs", _ => Recipes.AdamCosineAug()),
        ("full", "fullRecipe: Adam, wd 1e-4, cosine, warmup 1, augmentation, smoothing 0.1, 15 epochs", _ => Recipes.FullRecipe()),
        ("mnist-adam", "the repo's MNIST trainers: Adam 1e-3, wd 1e-4, cosine, warmup 1, 12 epochs", _ => Recipes.MnistAdamCosine(12)),
    ];

    public static TrainConfig? Find(string name, CatalogEntry entry) =>
        All.FirstOrDefault(r => r.Name == name) is { Make: { } make } ? make(entry) : null;
}
