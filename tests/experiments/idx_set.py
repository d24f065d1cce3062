"""idx_set.py make | check H5 PREFIX: a tiny generated IDX data set for the proxy-training kinds' `dataset` tests.

make: writes train-images.idx (60 images of 16 x 16 x 3, magic 0x804: N x H x W x C), train-labels.idx, and the
same for test (20 images) in the current directory; labels cycle 0..11 (12 classes). A proxy that kept
Fashion-MNIST's 1 input channel or 10 classes fails to train on it (LibTorch: wrong input channels; target 11 out
of range), so a run that rates its rows shows the proxy takes the data's channels, side and classes.

check H5 PREFIX: the output's attributes PREFIXdataset == "idx" and PREFIXdataset_mean / PREFIXdataset_std equal the
per-channel mean and population std of x / 255 over the training split (the first 40 images: the last 20 are the
validation split of `validation: 20`), computed here by numpy from the file, not by Ridgepoint.
"""
import struct
import sys

import numpy as np

SIDE, CHANNELS, CLASSES, TRAIN, TEST, VALIDATION = 16, 3, 12, 60, 20, 20


def write_idx(name, a, magic):
    with open(name, "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in a.shape) + a.tobytes())


def make():
    rng = np.random.default_rng(7)
    for name, n in (("train", TRAIN), ("test", TEST)):
        write_idx(name + "-images.idx", rng.integers(0, 256, (n, SIDE, SIDE, CHANNELS), dtype=np.uint8), 0x804)
        write_idx(name + "-labels.idx", (np.arange(n) % CLASSES).astype(np.uint8), 0x801)


def check(h5, prefix):
    import h5py

    f = h5py.File(h5)
    assert f.attrs[prefix + "dataset"] == "idx", f.attrs[prefix + "dataset"]
    header = 4 + 4 * 4  # magic, then N, H, W, C
    raw = np.fromfile("train-images.idx", np.uint8)[header:].reshape(TRAIN, SIDE, SIDE, CHANNELS)
    pool = raw[: TRAIN - VALIDATION] / 255.0
    for key, want in (("dataset_mean", pool.mean(axis=(0, 1, 2))), ("dataset_std", pool.std(axis=(0, 1, 2)))):
        got = np.array([float(x) for x in f.attrs[prefix + key].split(",")])
        assert got.shape == (CHANNELS,) and np.allclose(got, want, atol=1e-6), (key, got, want)
    print(prefix + "dataset normalization", f.attrs[prefix + "dataset_mean"], f.attrs[prefix + "dataset_std"])


if __name__ == "__main__":
    make() if sys.argv[1] == "make" else check(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
