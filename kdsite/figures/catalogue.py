"""The figure catalogue for authors: each registered figure's name, what it shows and the content
it reads. `kdsite list figures` prints it and docs/content.md (from `kdsite schema`) lists it; a
test keeps it in step with the registry (kdsite/figures/__init__.py)."""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    shows: str
    reads: tuple[str, ...]


HARDWARE = ("content/models/*.yaml", "content/devices/*.yaml", "content/energy.yaml",
            "content/hardware_page.yaml")

CATALOGUE: dict[str, Entry] = {
    "temperature-explorer": Entry("The temperature slider (log scale), the softmax formula, the probability bars "
                                  "and the entropy against T for one example.",
                                  ("content/temperature.yaml", "content/examples.yaml")),
    "label-explorer": Entry("An example chooser; the teacher's logits, the one-hot hard label and the soft label "
                            "side by side, with entropies.", ("content/labels.yaml", "content/examples.yaml")),
    "distillation-diagram": Entry("The knowledge-flow diagram of one training step (static).", ()),
    "loss-weighting": Entry("The α slider with the loss weights and formula, loss curves along a path to the "
                            "teacher, and the T² gradient chart.", ("content/training.yaml", "content/examples.yaml")),
    "model-cards": Entry("Teacher and student cards: parameters, MACs, memory, modeled latency, cited top-1.",
                         HARDWARE),
    "cost-comparison": Entry("The student's costs as a share of the teacher's, each reduction computed.", HARDWARE),
    "three-levers": Entry("Architecture, precision and distillation, one row each: what each changes.",
                          HARDWARE + ("content/distillation_results.yaml",)),
    "kd-training-cost": Entry("MACs per training image: the student alone against a distillation step.", HARDWARE),
    "accuracy-vs-size": Entry("Published ImageNet top-1 against parameters, with every source.",
                              HARDWARE + ("content/reference_models.yaml", "content/distillation_results.yaml")),
    "accuracy-vs-cost": Entry("Published top-1 against modeled energy: distillation moves a student up or down, "
                              "not sideways.",
                              HARDWARE + ("content/reference_models.yaml", "content/distillation_results.yaml")),
    "energy-per-inference": Entry("Compute and DRAM energy per inference for each workload, with the constants.",
                                  HARDWARE),
    "roofline-explorer": Entry("Device, traffic-model and layer choosers; the roofline, where each workload sits, "
                               "the verdicts and the savings cards.", HARDWARE),
    "measured-anchors": Entry("Measured latencies beside the modeled ones, every ratio computed.", HARDWARE),
    "lab-setup": Entry("What the lab trained: data, teacher, students, grids and seeds.", ("content/lab.yaml",)),
    "lab-findings": Entry("The lab's findings as sentences computed from its runs.", ("content/lab.yaml",)),
    "lab-curves": Entry("T and α sliders; the selected run's loss and accuracy per epoch and every run's final "
                        "accuracy.", ("content/lab.yaml",)),
    "lab-size-sweep": Entry("A transfer-set chooser; distilled against from-scratch accuracy for each student "
                            "width.", ("content/lab.yaml",)),
    "lab-omitted-digit": Entry("Hinton's omitted digit on the 8×8 digits: the digit's accuracy and all errors, "
                               "before and after the bias shift, per seed.", ("content/lab.yaml",)),
    "lab-soft-labels": Entry("A T slider; real test digits with the teacher's probabilities at T.",
                             ("content/lab.yaml",)),
    "self-check": Entry("The end-of-page multiple-choice questions.", ("content/self_check.yaml",)),
    "reference-list": Entry("Every reference, numbered, folded into one list.", ("content/references.yaml",)),
}


def catalogue_lines() -> list[str]:
    """The catalogue as plain text, one figure per block, for `kdsite list figures`."""
    lines = []
    for name, entry in CATALOGUE.items():
        lines += [f"[[figure: {name}]]", f"    {entry.shows}",
                  f"    reads: {', '.join(entry.reads) if entry.reads else 'nothing'}", ""]
    return lines


def catalogue_markdown() -> str:
    """The catalogue as a Markdown section of docs/content.md."""
    lines = ["## Figures", "", "Place one with `[[figure: NAME]]` on a line of its own in a section "
             "(`kdsite list figures` prints this list).", "",
             "| figure | what it shows | content it reads |", "|---|---|---|"]
    lines += [catalogue_row(name, entry) for name, entry in CATALOGUE.items()]
    return "\n".join(lines) + "\n"


def catalogue_row(name: str, entry: Entry) -> str:
    """One figure's row of the Markdown catalogue (also what `kdsite new figure` adds to docs/content.md)."""
    reads = ", ".join(f"`{path}`" for path in entry.reads) or "nothing"
    return f"| `{name}` | {entry.shows} | {reads} |"
