using LeanMlirVerify.Training.Trainer;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary><c>--device</c>: cpu always; cuda where a CUDA build sees a GPU, otherwise a refusal that says how to get one.</summary>
public class TrainDeviceTests
{
    [Fact]
    public void Cpu_IsTheCpu_AndCuda_IsCudaOrARefusalNamingTheBuildSwitch()
    {
        Assert.Equal(DeviceType.CPU, TrainDevice.Resolve("cpu").type);
        if (cuda.is_available())
            Assert.Equal(DeviceType.CUDA, TrainDevice.Resolve("cuda").type);
        else
        {
            var e = Assert.Throws<DeviceUnavailableException>(() => TrainDevice.Resolve("cuda"));
            Assert.Contains("no CUDA backend", e.Message);
            Assert.Contains(TrainDevice.CudaSwitch, e.Message);
            Assert.Contains("--device cpu", e.Message);
        }
    }

    [Fact]
    public void UnknownDevice_IsRefusedNamingTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainDevice.Resolve("tpu"));
        Assert.Contains("cpu, cuda", e.Message);
    }
}
