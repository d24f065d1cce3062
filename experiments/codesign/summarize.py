"""summarize.py OUTPUT.h5: the answer of a `kind: codesign` run (docs/codesign.md), as text. Per network (and
across the networks, objectives summed): the feasible point of least latency, the one of least energy per inference,
and the size of the Pareto front; then how many points the budget left feasible; with the accuracy objective (a LACS
family as the network side), the joint front: the network-and-hardware pairs no other pair beats."""
import math
import sys

import h5py

f = h5py.File(sys.argv[1], "r")
keys = f.attrs["hardware_keys"].split(",")
nets = f.attrs["networks"].split(",")
rows = f["points"][:]
pareto = f["pareto"][:]


def text(r):
    return " ".join(f"{k.split('.')[-1]}={r[k]:g}" for k in keys)


def show(label, members):
    fast = min(members, key=lambda r: r["latency_ms"])
    frugal = min(members, key=lambda r: r["energy_per_inference_mj"])
    print(f"| {label} | {text(fast)} | {fast['latency_ms']:.3f} | {text(frugal)} | "
          f"{frugal['energy_per_inference_mj']:.3f} |")


print(f"area budget {f.attrs['budget_area_mm2']:g} mm^2, batch {int(f.attrs['batch'])}: "
      f"{sum(bool(r['feasible']) for r in rows) // len(nets)} of {len(rows) // len(nets)} hardware points evaluated are feasible")
print("| network | least latency at | ms | least energy at | mJ/inference |")
print("|---|---|---|---|---|")
for net in nets:
    show(net, [r for r in rows if r["network"].decode() == net and r["feasible"]])
front = {}
for r in pareto:
    if r["front"] != b"joint":
        front.setdefault(r["front"].decode(), set()).add(int(r["point"]))
print("Pareto front sizes: " + ", ".join(f"{k} {len(v)}" for k, v in front.items()))
# Across the networks: one inference of each, summed, at points feasible for all of them.
sums = {}
for r in rows:
    s = sums.setdefault(int(r["point"]), [0.0, 0.0, True, r])
    s[0] += r["latency_ms"]
    s[1] += r["energy_per_inference_mj"]
    s[2] = s[2] and bool(r["feasible"])
ok = [s for s in sums.values() if s[2] and not math.isnan(s[0])]
fast, frugal = min(ok, key=lambda s: s[0]), min(ok, key=lambda s: s[1])
print(f"all networks: least total latency at {text(fast[3])} ({fast[0]:.3f} ms), "
      f"least total energy at {text(frugal[3])} ({frugal[1]:.3f} mJ)")
joint = [r for r in pareto if r["front"] == b"joint"]
if joint:
    print(f"joint front over {f.attrs['objectives']} (any network on any hardware point):")
    print("| network | hardware | top-1 % | accuracy source | ms | mJ/inference |")
    print("|---|---|---|---|---|---|")
    for r in sorted(joint, key=lambda r: r["latency_ms"]):
        print(f"| {r['network'].decode()} | {text(r)} | {r['accuracy']:.2f} | {r['accuracy_source'].decode()} | "
              f"{r['latency_ms']:.3f} | {r['energy_per_inference_mj']:.3f} |")
