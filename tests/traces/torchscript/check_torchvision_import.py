#!/usr/bin/python3
"""Imports a representative subset of torchvision 0.14 exports and checks parameters and MACs.

usage: /usr/bin/python3 check_torchvision_import.py RIDGEPOINT MODEL_DIR

MODEL_DIR holds MODEL.pt written by scripts/export_torchvision.py (the CTest fixture). For each model:
`ridgepoint info --torchscript MODEL.pt --json` must succeed; its parameters must equal torchvision's own count,
sum(p.numel() for p in model.parameters()) of the same builder (a figure of torch, not of the importer); its MACs
per image must be within 2 % of the figure its authors published (cited in MACS below). Each import's wall time
is printed as a figure (issue 22's target: vit_b_16 within 3 s, LibTorch's start-up included, on an idle machine);
it is not asserted: a speed target belongs in a printed figure, not in a timed test that other tests' load decides.
"""
import json
import subprocess
import sys
import time

# Published multiply-accumulates per 224 x 224 image, in billions.
MACS = {
    "resnet50": 4.09,  # torchvision 0.15+ weights meta "GFLOPS" 4.09 (counted as MACs; docs "Classification")
    "mobilenet_v3_large": 0.217,  # Howard et al. 2019, "Searching for MobileNetV3", Table 3: 219 M MAdds
    "efficientnet_b0": 0.39,  # Tan and Le 2019, "EfficientNet", Table 2: 0.39B FLOPS (multiply-adds)
    "vit_b_16": 17.56,  # torchvision 0.15+ weights meta "GFLOPS" 17.56
    "convnext_tiny": 4.46,  # torchvision 0.15+ weights meta "GFLOPS" 4.46 (Liu et al. 2022 Table 1: 4.5G)
}


def torch_params(name):
    import torchvision

    model = getattr(torchvision.models, name)(weights=None)
    return sum(p.numel() for p in model.parameters())


def main():
    ridgepoint, model_dir = sys.argv[1], sys.argv[2]
    failures = []
    for name, published in MACS.items():
        start = time.monotonic()
        r = subprocess.run([ridgepoint, "info", "--torchscript", f"{model_dir}/{name}.pt", "--json"],
                           capture_output=True, text=True)
        seconds = time.monotonic() - start
        if r.returncode != 0:
            failures.append(f"{name}: import failed: {r.stderr.strip()}")
            continue
        info = json.loads(r.stdout)
        want = torch_params(name)
        macs = info["macs"] / 1e9
        print(f"{name}: params {info['params']} (torchvision {want}), {macs:.3f} G MACs (published {published}), "
              f"{seconds:.1f} s")
        if info["params"] != want:
            failures.append(f"{name}: {info['params']} parameters, torchvision counts {want}")
        if abs(macs - published) > 0.02 * published:
            failures.append(f"{name}: {macs:.3f} G MACs, published {published} G (more than 2 % apart)")
    for f in failures:
        print("FAIL " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
