"""Every content file's schema, declared once: typed fields with range, unit, default and a one-line doc.

The field types and the one reader are in kdsite/content/fields.py. `reference_markdown()`
generates the author's reference from these declarations (`kdsite schema > docs/content.md`), so
the docs cannot drift from what the build accepts.
"""

from __future__ import annotations

from typing import Any

from kdsite.content import limits
from kdsite.content.fields import (Boolean, Dict, Field, List, Mapping, Number, Rows, Scalar, Text, Variant, Whole,
                                   yaml_text)
from kdsite.science.architecture import ACTIVATIONS, RESNET_BLOCKS, ROW_COLUMNS
from kdsite.science.devices import KINDS, LAYER_MODEL_KINDS
from kdsite.science.energy import MEMORY_KINDS
from kdsite.science.labconfig import BIAS_RULES, CLASS_COUNT, SOFT_LABEL_RULES
from kdsite.science.precision import PRECISIONS
from kdsite.science.roofline import TRAFFIC_MODELS


_TEMPERATURE_HINT = (f"temperatures are {limits.TEMPERATURE_MIN:g} to {limits.TEMPERATURE_MAX:g}: they divide "
                     "the logits, and outside this range softmax saturates or T² overflows")


def _temperature(doc: str, **options: Any) -> Number:
    return Number(doc, minimum=limits.TEMPERATURE_MIN, maximum=limits.TEMPERATURE_MAX,
                  hint=_TEMPERATURE_HINT, **options)


def _alpha(doc: str) -> Number:
    return Number(doc, minimum=0, maximum=1, example=0.5,
                  hint="α weights the soft term: 0 is hard labels only, 1 soft targets only")


_EXAMPLE_ID = "an example id from content/examples.yaml"

SITE = Mapping("Site-wide text.", {
    "title": Text("The page title.", example="Knowledge Distillation"),
    "subtitle": Text("The line under the title.", example="An interactive explainer"),
    "course": Text("The course the page belongs to.", example="EE508"),
    "unit": Text("The course unit.", example="Model Reduction"),
    "core_words": Whole("The core path's budget: the page's visible prose, in words, with every \"Go deeper\" "
                        "block closed. The build warns when the page is longer.", minimum=100, maximum=100_000,
                        default=2500, unit="words", example=2500),
    "handout_folder": Text("The folder the hand-out zip (`kdsite build --zip`) unpacks to: lowercase letters, digits "
                           "and single hyphens. By default made from the title.", default=None, max_length=40,
                           example="kd-explainer"),
    "base_url": Text("The site's public address (e.g. its GitHub Pages address): https only, without a user name, "
                     "password, query or fragment. When given, each step of presenter mode shows a QR code of its "
                     "public link.", default=None, max_length=500, example="https://example.github.io/kd-explainer/"),
})

EXAMPLES = Mapping("The class names and the example teacher logits (illustrative values).", {
    "classes": List("The class names, in the order of every example's logits.", of=Text("A class name."),
                    min_items=2, max_items=limits.MAX_CLASSES, unique=True, example=["cat", "dog", "fox"]),
    "examples": List("The example inputs.", max_items=limits.MAX_EXAMPLES, of=Mapping("One example input.", {
        "id": Text("Its id, used by the other files.", example="cat"),
        "label": Text("Its name on the page.", example="Cat photo"),
        "true_class": Text("Its true class: one of `classes`.", example="cat"),
        "logits": List("The teacher's logits, one per class in the order of `classes`.",
                       of=Number("A logit.", minimum=-limits.MAX_ABS_LOGIT, maximum=limits.MAX_ABS_LOGIT,
                                 hint="logits differ by a few units; only their differences matter to the softmax"),
                       example=[6.8, 5.7, 2.7]),
    })),
})

_LOG_GRID = ("evenly spaced in log T, `points_per_decade` points a decade, each 10^(k / points_per_decade) "
             "rounded to two significant figures (… 0.63, 0.79, 1, 1.3, 1.6 … for 10 a decade); the slider "
             "steps one point at a time, with T = 1 in the middle of its track")


def _points_per_decade(doc: str, example: int) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_POINTS_PER_DECADE, example=example,
                 hint=f"at most {limits.MAX_POINTS_PER_DECADE} a decade keeps two-figure grid points distinct")


TEMPERATURE = Mapping(f"The temperature slider's precomputed grid: {_LOG_GRID}.", {
    "minimum": _temperature("The lowest temperature on the slider: a grid point below 1.", example=0.1),
    "maximum": _temperature("The highest temperature: as many grid points above 1 as minimum is below it "
                            "(10 for minimum 0.1, 4 for 0.25).", example=10),
    "points_per_decade": _points_per_decade("Grid points per factor of ten in T.", example=10),
    "default": _temperature("Where the slider starts: a grid point.", example=1),
    "example": Text(f"The example shown: {_EXAMPLE_ID}.", example="cat"),
})

LABELS = Mapping("The hard-vs-soft label section.", {
    "default_example": Text(f"The example it starts on: {_EXAMPLE_ID}.", example="cat"),
    "soft_temperature": _temperature("The soft label's temperature.", example=2),
})

TRAINING = Mapping("The training section: the α slider and the precomputed loss curves.", {
    "alpha_default": _alpha("Where the α slider starts: a multiple of alpha_step."),
    "alpha_step": Number(f"The α slider step; divides 1 into whole steps (at most {limits.MAX_ALPHA_POINTS} points).",
                         above=0, maximum=1, example=0.05),
    "temperature_minimum": _temperature("The lowest temperature of the loss curves: a grid point below 1 "
                                        f"(the curves' temperature grid is {_LOG_GRID}).", example=0.1),
    "temperature_maximum": _temperature("The highest temperature: as many grid points above 1 as "
                                        "temperature_minimum is below it.", example=10),
    "temperature_points_per_decade": _points_per_decade("Grid points per factor of ten in T.", example=5),
    "temperature_default": _temperature("The temperature the curves start on: a grid point.", example=4),
    "progress_points": Whole("Points along the path from an uninformed student to the teacher.",
                             minimum=limits.MIN_PROGRESS_POINTS, maximum=limits.MAX_PROGRESS_POINTS, example=11),
    "default_example": Text(f"The example it starts on: {_EXAMPLE_ID}.", example="cat"),
})

REFERENCES = Mapping("Every cited source, numbered in file order.", {
    "references": List("The sources.", of=Mapping("One source.", {
        "id": Text("What a section cites, as [@id]: letters, digits, - and _.", example="hinton2015"),
        "authors": Text("The authors.", example="Geoffrey Hinton, Oriol Vinyals, Jeff Dean"),
        "title": Text("The title.", example="Distilling the Knowledge in a Neural Network"),
        "venue": Text("Where it appeared.", example="arXiv:1503.02531"),
        "year": Whole("The year of publication.", minimum=1800, maximum=2100, example=2015),
        "url": Text("An https:// address without spaces.", example="https://arxiv.org/abs/1503.02531"),
    })),
})

SELF_CHECK = Mapping("The end-of-page self-check (optional; place it with [[figure: self-check]]): multiple-choice "
                     "questions whose explanations the reader opens one choice at a time. Plain text; numbers "
                     "here are typed, so prefer questions whose answers need none.", {
    "questions": List("The questions, in order.", min_items=1, max_items=limits.MAX_QUESTIONS, of=Mapping(
        "One question.", {
            "question": Text("The question.", example="What does distillation change about the student?"),
            "choices": List("Its choices, in order; at least one is correct.", min_items=2,
                            max_items=limits.MAX_CHOICES, of=Mapping("One choice.", {
                                "text": Text("The choice.", example="Its accuracy"),
                                "correct": Boolean("Whether it is a right answer.", default=False),
                                "why": Text("Why it is right or wrong, shown when the reader opens it.",
                                            example="Distillation is a training method: only the weights change."),
                            })),
        })),
})

GLOSSARY = Mapping("Terms marked at their first use in each section (optional): the reader opens the definition "
                   "by click, tap or keyboard. Plain text.", {
    "terms": List("The terms.", max_items=limits.MAX_GLOSSARY_TERMS, of=Mapping("One term.", {
        "id": Text("Its id: lowercase letters, digits and hyphens.", example="kl"),
        "term": Text("The term as the definition names it; also matched in the text.", example="KL divergence"),
        "forms": List("Other forms matched in the text, case as written (whole words).", of=Text("A form."),
                      min_items=0, max_items=limits.MAX_TERM_FORMS, unique=True, default=(), example=["KL"]),
        "definition": Text("One or two sentences.", example="How far the student's probabilities are from "
                                                             "the teacher's; zero when they match."),
        "source": Text("A reference id from content/references.yaml, cited after the definition.", default=None,
                       example="hinton2015"),
    })),
})

SECTION = Mapping("A section's front matter, between --- lines at the top of its Markdown file.", {
    "id": Text("Its anchor (index.html#id): lowercase letters, digits and hyphens, starting with a letter.",
               example="temperature"),
    "title": Text("Its heading and table-of-contents entry.", example="Temperature"),
    "order": Whole("Its place in the page, smallest first.", example=30),
})

# lab.yaml -------------------------------------------------------------------------------------------

_SEED = Whole("A random seed.", minimum=0, maximum=limits.MAX_SEED, example=0)
_EPOCHS = Whole("Passes over the training set.", minimum=1, maximum=limits.MAX_LAB_EPOCHS, example=20)
_BATCH = Whole("Digits per gradient step.", minimum=1, maximum=limits.MAX_BATCH_SIZE, example=32)
_LEARNING_RATE = Number("Adam's step size.", above=0, maximum=limits.MAX_LEARNING_RATE, example=0.001)
_DECAY = Number("The weight-decay penalty weight; 0 turns it off.", minimum=0, maximum=limits.MAX_WEIGHT_DECAY,
                example=0.0)


def _hidden(doc: str) -> List:
    return List(doc, of=Whole("Units of a hidden layer.", minimum=1, maximum=limits.MAX_HIDDEN_UNITS),
                min_items=0, max_items=limits.MAX_HIDDEN_LAYERS, example=[16])


LAB = Mapping("The distillation lab's experiments on the 8×8 digits; every value is written, none has a default.", {
    "data": Mapping("The train/test split.", {
        "split_seed": Whole("Seed of the stratified split and the teacher's initialization.",
                            minimum=0, maximum=limits.MAX_SEED, example=0),
        "test_fraction": Number("Share of the digits held out for testing.", minimum=0.05, maximum=0.5,
                                example=0.25),
    }),
    "seeds": List("Every student setting is trained once per seed.", of=_SEED, max_items=limits.MAX_SEEDS,
                  unique=True, example=[0, 1, 2]),
    "teacher": Mapping("The teacher network, trained on hard labels.", {
        "hidden": _hidden("Hidden layer widths (an empty list for none)."),
        "epochs": _EPOCHS, "batch_size": _BATCH, "learning_rate": _LEARNING_RATE, "weight_decay": _DECAY,
        "input_noise": Number("Gaussian noise on the standardized pixels, a regularizer.", minimum=0,
                              maximum=limits.MAX_INPUT_NOISE, unit="pixel standard deviations", example=0.5),
    }),
    "student_training": Mapping("Adam settings for all students.", {
        "batch_size": _BATCH, "learning_rate": _LEARNING_RATE, "weight_decay": _DECAY,
    }),
    "grid": Mapping("The temperature × α grid for one small student.", {
        "hidden": _hidden("The student's hidden layer widths."),
        "transfer_fraction": Number("Share of the training digits in the transfer set.", above=0, maximum=1,
                                    example=0.1),
        "epochs": _EPOCHS,
        "temperatures": List("The grid's temperatures.", of=_temperature("A temperature."),
                             max_items=limits.MAX_GRID_TEMPERATURES, unique=True, example=[1, 4]),
        "alphas": List("The grid's α values.", of=_alpha("An α."), max_items=limits.MAX_GRID_ALPHAS,
                       unique=True, example=[0, 0.5]),
    }),
    "size_sweep": Mapping("Student width sweep, from scratch vs distilled.", {
        "widths": List("The student hidden widths.", of=Whole("A width.", minimum=1, maximum=limits.MAX_HIDDEN_UNITS),
                       max_items=limits.MAX_SWEEP_WIDTHS, unique=True, example=[4, 8]),
        "temperature": _temperature("The distillation temperature.", example=4),
        "alpha": _alpha("The distillation α."),
        "transfer_sets": List("The transfer sets each width is trained on.", max_items=limits.MAX_TRANSFER_SETS,
                              of=Mapping("One transfer set.", {
                                  "fraction": Number("Share of the training digits.", above=0, maximum=1,
                                                     example=0.1),
                                  "epochs": _EPOCHS,
                              })),
    }),
    "omitted_class": Mapping("Hinton §3: one digit left out of the transfer set.", {
        "digit": Whole("The omitted digit.", minimum=0, maximum=CLASS_COUNT - 1, example=3),
        "hidden": _hidden("The student's hidden layer widths."),
        "epochs": _EPOCHS,
        "temperature": _temperature("The distillation temperature.", example=8),
        "alpha": _alpha("The distillation α."),
        "bias_rule": Text("How the omitted digit's output bias is raised after training.", choices=BIAS_RULES),
        "bias_shift": Number("The bias added to the omitted digit's output; only with bias_rule: fixed.",
                             minimum=-1e3, maximum=1e3, default=None, example=3.5),
    }),
    "soft_labels": Mapping("Real test digits shown with the teacher's soft labels.", {
        "count": Whole("How many test digits to show.", minimum=1, maximum=50, example=6),
        "rule": Text("Which digits to show.", choices=SOFT_LABEL_RULES),
    }),
})

# models/*.yaml ----------------------------------------------------------------------------------------

_CHANNELS_HINT = f"channels and widths are 1 to {limits.MAX_CHANNELS:,}"


def _channels(doc: str, **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_CHANNELS, hint=_CHANNELS_HINT, **options)


def _kernel(doc: str = "Kernel side, in pixels.", **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_KERNEL, unit="pixels", **options)


def _stride(doc: str = "Stride, in pixels.", **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_STRIDE, **options)


def _groups(doc: str, **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_GROUPS, **options)


_CONV = Mapping("A convolution (followed by batch norm).", {
    "out_channels": _channels("Output channels.", example=64),
    "kernel": _kernel(example=7),
    "stride": _stride(default=1),
    "padding": Whole("Zero padding on each side, in pixels.", minimum=0, maximum=limits.MAX_KERNEL, default=None,
                     default_doc="(kernel − 1) / 2, rounded down", example=3),
})

_CLASSES = Whole("Output classes of the final layer.", minimum=1, maximum=limits.MAX_NUM_CLASSES, example=1000)

_RESNET = Mapping("A ResNet: stem, optional max-pool, stages of residual blocks, classifier.", {
    "family": Text("The architecture family.", choices=("resnet",)),
    "stem": _CONV,
    "stem_pool": Mapping("The max-pool after the stem.", {
        "kernel": _kernel(example=3), "stride": _stride(example=2),
        "padding": Whole("Padding on each side, in pixels.", minimum=0, maximum=limits.MAX_KERNEL, default=0),
    }, default=None),
    "block": Text("The residual block.", choices=tuple(RESNET_BLOCKS)),
    "expansion": Whole("The block's channel expansion.", minimum=1, maximum=limits.MAX_EXPANSION, default=None,
                       default_doc="1 for basic, 4 for bottleneck"),
    "groups": _groups("Groups of the 3×3 conv (bottleneck only).", default=1),
    "width_per_group": _groups("Channels per group at width 64 (bottleneck only).", default=64),
    "stages": List("The stages; the first block of each carries the stride.", max_items=limits.MAX_STAGES,
                   of=Mapping("One stage.", {
                       "width": _channels("The stage width (the 3×3 conv's channels at width_per_group 64).",
                                          example=64),
                       "blocks": Whole("Residual blocks in the stage.", minimum=1, maximum=limits.MAX_BLOCKS,
                                       example=2),
                       "stride": _stride("The first block's stride.", default=1),
                   })),
    "classifier": Mapping("Global average pool, then a fully connected layer.", {"num_classes": _CLASSES}),
})

ROW_CELLS: dict[str, Field] = {
    "expansion": Number("Expansion ratio t: hidden channels = input channels × t.", above=0,
                        maximum=limits.MAX_EXPANSION, example=6),
    "expanded_channels": _channels("Hidden channels, written out (instead of expansion).", example=72),
    "out_channels": _channels("Output channels c.", example=24),
    "repeats": Whole("Times the block repeats, n.", minimum=1, maximum=limits.MAX_REPEATS, default=1),
    "stride": _stride("Stride of the first repeat, s.", default=1),
    "kernel": _kernel("The depthwise kernel side.", default=3),
    "squeeze_excite": Boolean("Whether the block has squeeze-and-excite.", default=False),
    "activation": Text("The block's activation.", choices=ACTIVATIONS, default="relu6"),
}
assert tuple(ROW_CELLS) == tuple(ROW_COLUMNS)

_INVERTED_RESIDUAL = Mapping("An inverted-residual net (MobileNetV2/V3): stem, the paper's block table, last conv, "
                             "classifier.", {
    "family": Text("The architecture family.", choices=("inverted_residual",)),
    "stem": _CONV,
    "block_columns": List("The table's columns: out_channels and exactly one of expansion or expanded_channels.",
                          of=Text("A column name.", choices=tuple(ROW_COLUMNS)), unique=True,
                          example=["expansion", "out_channels", "repeats", "stride"]),
    "blocks": Rows("The block table, one row per line, one value per column.", cells=ROW_CELLS,
                   max_items=limits.MAX_ROWS, example=[[6, 24, 2, 2]]),
    "squeeze_excite": Mapping("Squeeze-and-excite sizes; required when a row has squeeze_excite: true.", {
        "reduction": _groups("Squeeze channels = expanded channels / reduction.", example=4),
        "round_to": _groups("Squeeze channels are rounded to a multiple of this.", default=1),
    }, default=None),
    "last_conv": Mapping("The 1×1 conv before the classifier.", {"out_channels": _channels("Output channels.",
                                                                                            example=1280)}),
    "classifier": Mapping("Global average pool, hidden layers, then the final layer.", {
        "hidden_features": List("Hidden fully connected layers' widths.", min_items=0, default=(),
                                max_items=limits.MAX_HIDDEN_FEATURE_LAYERS,
                                of=Whole("Features.", minimum=1, maximum=limits.MAX_FEATURES), example=[1024]),
        "num_classes": _CLASSES,
    }),
})

MODEL = Mapping("An architecture the hardware model counts.", {
    "display_name": Text("Its name on the page.", example="ResNet-18"),
    "top1_percent": Number("ImageNet top-1 accuracy.", above=0, maximum=100, unit="%", example=69.758),
    "source": Text("Where top1_percent comes from.", example="torchvision-0.29.1"),
    "int8_top1": Mapping("ImageNet top-1 of the model's published INT8 (quantized) weights, if any: shown "
                         "wherever the page shows the INT8 model's cost.", {
        "percent": Number("Its top-1.", above=0, maximum=100, unit="%", example=71.658),
        "reference": Text("An id in content/references.yaml.", example="torchvision"),
        "locator": Text("Where in that source, e.g. the weights' name.",
                        example="MobileNet_V2_QuantizedWeights.IMAGENET1K_QNNPACK_V1"),
        "method": Text("How the weights were quantized.", example="quantization-aware training"),
    }, default=None),
    "input": Mapping("The input image.", {
        "channels": Whole("Input channels, e.g. 3 for RGB.", minimum=1, maximum=limits.MAX_INPUT_CHANNELS, example=3),
        "height": Whole("Input height.", minimum=1, maximum=limits.MAX_INPUT_SIDE, unit="pixels", example=224),
        "width": Whole("Input width.", minimum=1, maximum=limits.MAX_INPUT_SIDE, unit="pixels", example=224),
    }),
    "architecture": Variant("The layers, as the family's compact table.", tag="family",
                            variants={"resnet": _RESNET, "inverted_residual": _INVERTED_RESIDUAL}),
})

MODEL_FORMS = """\
### The architecture forms

The counter reads two families; each layer is counted as torchvision builds it (conv, then batch norm;
MACs = C_out · C_in / groups · k² · H_out · W_out, plus the fully connected layers; parameters
include batch norm's γ and β and the biases).

**ResNet (`family: resnet`): stages.** One line per stage; the first block of each carries the
stride and a 1×1 downsample. ResNet-18 and -34 use `block: basic`, ResNet-50, -101 and -152
`block: bottleneck` (1×1, 3×3 with the stride, 1×1 with expansion 4):

```yaml
architecture:
  family: resnet
  stem: {out_channels: 64, kernel: 7, stride: 2, padding: 3}
  stem_pool: {kernel: 3, stride: 2, padding: 1}
  block: bottleneck
  stages:
    - {width: 64,  blocks: 3, stride: 1}
    - {width: 128, blocks: 8, stride: 2}
    - {width: 256, blocks: 36, stride: 2}
    - {width: 512, blocks: 3, stride: 2}
  classifier: {num_classes: 1000}
```

**Inverted residual (`family: inverted_residual`): the paper's block table.** `block_columns`
names the columns, one row a line. MobileNetV2 writes its (t, c, n, s) table: the expansion ratio, the
output channels, the repeats and the first repeat's stride:

```yaml
  block_columns: [expansion, out_channels, repeats, stride]
  blocks:
    - [1, 16, 1, 1]
    - [6, 24, 2, 2]
```

MobileNetV3 writes one row per block with its kernel, hidden channels written out, squeeze-and-excite
and activation (a block whose hidden channels equal its input has no expansion 1×1):

```yaml
  block_columns: [kernel, expanded_channels, out_channels, squeeze_excite, activation, stride]
  blocks:
    - [3, 16, 16, true, relu, 2]
    - [5, 96, 40, true, hardswish, 2]
  squeeze_excite: {reduction: 4, round_to: 8}
  last_conv: {out_channels: 576}
  classifier: {hidden_features: [1024], num_classes: 1000}
```

**An architecture the counter cannot express** stops the build with an error that names the part,
never a count of something else. Examples: another family (`field 'architecture.family': unknown
value 'vgg' (hint: use one of: resnet, inverted_residual)`), another activation (`field
'architecture.blocks[3][4]': activation: unknown value 'gelu'`), a grouped basic block, an expansion
that gives fractional channels, an input too small for the strides, or totals past the limits. A key
the counter does not know inside `architecture` (`dilation: 2`, or a typo) is an error in every
build, not the usual unknown-key warning: `the parameter and MAC counter cannot express 'dilation',
so it would count another network`. For such a model, list it in `content/reference_models.yaml` with its published parameters (and MACs) and
their sources instead. Do not put a model in both places: that is a warning, and an error under
`--strict`.
"""
"""The forms of the architecture tables and what the counter refuses, shown after the models table."""

NOTES = {"content/models/*.yaml": MODEL_FORMS}
"""Markdown shown after a file's field table in the generated reference."""

SCENES = Mapping("Presenter mode's prepared sequence (optional): `index.html?present` steps through these scenes, "
                 "each a figure with its controls set; without this file it steps through every figure.", {
    "scenes": List("The scenes, in the order presenter mode shows them.", max_items=limits.MAX_SCENES, of=Mapping(
        "One scene.", {
            "figure": Text("The figure it shows: a name placed in a section with [[figure: NAME]].",
                           example="temperature-explorer"),
            "settings": Dict("The figure's control values by control id, written as a settings link writes them "
                             "(a temperature slider takes T itself, on its grid); controls not named are at "
                             "their defaults.", of=Scalar("A value the control can take.", example=4),
                             key_name="control", min_items=0, default=None, example={"temperature-slider": 4}),
            "title": Text("A title shown beside the figure.", default=None, max_length=200,
                          example="T = 4: the runner-up appears"),
            "caption": Text("A sentence or two shown under the title.", default=None, max_length=600,
                            example="Ask the class which class gains most before you step on."),
        })),
})

# devices/*.yaml, energy.yaml ----------------------------------------------------------------------------


def _quantity(doc: str, value: Number, kinds: tuple[str, ...] = KINDS, **options: Any) -> Mapping:
    illustrative = "illustrative" in kinds
    return Mapping(doc + " Either kind: cited with a value, or kind: derived with factors and a formula" +
                   (", or kind: illustrative with a value standing for an assumption (say which in `note`)."
                    if illustrative else "."), {
        "value": value,
        "kind": Text("cited (a value from a source) or derived (the product of factors)" +
                     (" or illustrative (an assumption, marked so on the page)." if illustrative else "."),
                     choices=kinds),
        "source": Text("Where the value or the factors come from.", example="vendor datasheet"),
        "formula": Text("The product, in words (derived only).", default=None, example="cores × 2 × clock"),
        "factors": Dict("The cited numbers the derived value is the product of (derived only).",
                        of=Number("A factor.", above=0, maximum=limits.MAX_FACTOR,
                                  hint="peaks, bandwidths and their factors are positive: the roofline divides "
                                       f"by them; each factor is > 0 and ≤ {limits.MAX_FACTOR:g}"),
                        key_name="factor", default=None, example={"cores": 128, "clock_hz": 0.9216e9}),
        "note": Text("A caveat shown with the number.", default=""),
    }, **options)


_POSITIVE = "peaks and bandwidths are positive: the roofline divides by them"
DEVICE = Mapping("An edge device for the roofline and latency model.", {
    "display_name": Text("Its name on the page.", example="Jetson Nano"),
    "summary": Text("One line about the hardware.", default=""),
    "memory_link": Text("What the memory bandwidth is of.", default="DRAM"),
    "peak_ops_per_s": Dict("Peak operations per second, by precision.", key_name="precision", keys=PRECISIONS,
                           of=_quantity("A peak.", Number(f"The peak (cited only); {limits.PEAK_OPS_RANGE[0]:g} to "
                                                          f"{limits.PEAK_OPS_RANGE[1]:g}.", above=0, default=None,
                                                          unit="operations/s", hint=_POSITIVE, example=472e9))),
    "unlisted_precision": Text("The listed precision that precisions without a peak run at, or none.",
                               default="none"),
    "dram_bandwidth_bytes_per_s": _quantity("The memory bandwidth.", Number(
        f"The bandwidth (cited only); {limits.BANDWIDTH_RANGE[0]:g} to {limits.BANDWIDTH_RANGE[1]:g}.", above=0,
        default=None, unit="bytes/s", hint=_POSITIVE, example=25.6e9)),
    "on_chip_memory_bytes": _quantity("On-chip memory that can hold weights.", Number(
        f"The size (cited only); 0 to {limits.MAX_ON_CHIP_BYTES:g}.", minimum=0, default=None, unit="bytes",
        hint="write 0 for a device without on-chip memory for weights", example=262144)),
    "depthwise_peak_ops_per_s": _quantity(
        "Per-layer model: the rate depthwise layers reach (they cannot use units that reduce over input "
        "channels); the lower bound ignores it.", Number(
            f"The rate (not derived); {limits.PEAK_OPS_RANGE[0]:g} to {limits.PEAK_OPS_RANGE[1]:g}.", above=0,
            default=None, unit="operations/s", hint=_POSITIVE, example=1.28e12),
        LAYER_MODEL_KINDS, default=None),
    "layer_overhead_s": _quantity(
        "Per-layer model: a fixed time per conv/FC layer (kernel launch, operator dispatch); the lower bound "
        "ignores it.", Number(f"The time (not derived); 0 to {limits.MAX_LAYER_OVERHEAD_S:g}.", minimum=0,
                              default=None, unit="s", example=5e-6),
        LAYER_MODEL_KINDS, default=None),
})

_ENERGY = Mapping("One energy with its unit and source.", {
    "value": Number("The energy.", above=0, maximum=limits.MAX_ENERGY_PJ, unit="pJ", example=3.7,
                    hint=f"energies are > 0 and ≤ {limits.MAX_ENERGY_PJ:g} pJ per operation or 32-bit word"),
    "unit": Text("What the energy is per, in words.", example="pJ per FP32 multiply"),
    "source": Text("A reference id.", example="horowitz-isscc-2014"),
    "note": Text("A caveat.", default=""),
})

ENERGY = Mapping("Energy per operation and per memory access (Horowitz, 45 nm).", {
    "process": Text("The process the energies are for.", example="45 nm CMOS, 0.9 V"),
    "source": Text("A reference id.", example="horowitz-isscc-2014"),
    "mac_pj": Mapping("One multiply-accumulate = one multiply + one add, by precision.", {
        precision: Mapping(f"The {precision} multiply and add.", {"multiply": _ENERGY, "add": _ENERGY})
        for precision in PRECISIONS}),
    "memory_pj": Mapping("Energy per 32-bit word, by memory.", {kind: _ENERGY for kind in MEMORY_KINDS}),
})

# the hardware pages' published numbers ---------------------------------------------------------------

_REFERENCE = Text("An id in content/references.yaml.", example="torchvision")
_LOCATOR = Text("Where in the source (table, README section).", example="Table 3")


def _top1(doc: str, **options: Any) -> Number:
    return Number(doc, minimum=0, maximum=100, unit="%", example=71.25, **options)


REFERENCE_MODELS = Mapping("Models the counter does not describe, known by their published stats.", {
    "models": List("The models.", of=Mapping("One model.", {
        "key": Text("Its key, used as a student in distillation_results.yaml.", example="mobilenet_v1"),
        "display_name": Text("Its name on the page.", example="MobileNet-V1"),
        "params": Number("Its parameter count, as published.", above=0, example=4.23e6),
        "top1_percent": _top1("ImageNet top-1 from scratch, if the source gives one.", default=None),
        "reference": _REFERENCE,
        "locator": _LOCATOR,
        "macs": Number("Multiply-accumulates per 224 × 224 image, as published (places the model on the "
                       "accuracy-against-cost chart).", above=0, maximum=1e15, default=None, example=569e6),
        "macs_reference": Text("The id in content/references.yaml that gives `macs`.", default=None,
                               example="howard2017"),
        "macs_locator": Text("Where in that source.", default=None, example="Table 6"),
    })),
})

DISTILLATION_RESULTS = Mapping("Published ImageNet distillation results (top-1 in percent).", {
    "results": List("The results.", of=Mapping("One teacher → student result.", {
        "id": Text("Its id.", example="dist-r50-mobilenet-v2"),
        "paper": Text("The paper, as shown.", example="DIST (Huang et al., NeurIPS 2022)"),
        "reference": _REFERENCE,
        "locator": _LOCATOR,
        "teacher": Mapping("The teacher.", {
            "name": Text("Its name.", example="ResNet-50"),
            "top1_percent": _top1("Its top-1.", default=None),
        }),
        "student": Text("A content/models/*.yaml stem or a key of reference_models.yaml.", example="mobilenet_v2"),
        "baseline_percent": _top1("The student trained without a teacher, in the same source.", default=None),
        "kd_percent": _top1("The student with Hinton's KD loss (this or better is required).", default=None),
        "better": Mapping("The source's own newer method.", {
            "method": Text("Its name.", example="DIST"),
            "top1_percent": _top1("Its top-1."),
        }, default=None),
        "note": Text("A remark shown with the result.", default=""),
    })),
})

_MEASURED_MODEL = Mapping("A model as measured.", {
    "model": Text("The content/models/*.yaml stem of the architecture.", example="resnet152"),
    "name": Text("The model as the source names it.", example="ResNet-152 V2"),
    "input": Whole("Its input side as measured.", minimum=1, maximum=limits.MAX_INPUT_SIDE, unit="pixels",
                   example=299),
    "latency_ms": Number("Its measured time per inference.", minimum=limits.MIN_MEASURED_MS, maximum=limits.MAX_MEASURED_MS,
                         unit="ms", example=151),
})

HARDWARE_PAGE = Mapping("Where the hardware figures start, and measured latencies.", {
    "default_device": Text("A content/devices/*.yaml stem, of a device that runs FP32 and INT8 models (the "
                           "figures starting on it compare both).", example="raspberry_pi_4"),
    "default_traffic_model": Text("The memory traffic model the figures start on.", choices=TRAFFIC_MODELS),
    "roofline_device": Text("A content/devices/*.yaml stem: the device the roofline explorer starts on, when "
                            "it should differ from default_device (one where the workloads fall on both sides "
                            "of the ridge shows both regimes); omitted, default_device.", default=None,
                            example="jetson_orin_nano"),
    "measured_latency": List("Latencies measured on real hardware.", min_items=0, default=(),
                             of=Mapping("One measurement.", {
                                 "device": Text("A content/devices/*.yaml stem.", example="coral_edge_tpu"),
                                 "model": Text("A model key.", example="mobilenet_v2"),
                                 "precision": Text("The precision it ran at.", choices=PRECISIONS),
                                 "latency_ms": Number("The latency.", minimum=limits.MIN_MEASURED_MS,
                                                      maximum=limits.MAX_MEASURED_MS, unit="ms", example=2.6),
                                 "setup": Text("What was measured.", example="USB Accelerator on USB 3.0"),
                                 "reference": _REFERENCE,
                                 "locator": _LOCATOR,
                             })),
    "measured_pairs": List("Teacher and student timed on the same hardware by one source.", min_items=0,
                           default=(), of=Mapping("One setup.", {
                               "setup": Text("Where they ran.", example="Dev Board: quad Cortex-A53 with Edge TPU"),
                               "device": Text("The content/devices/*.yaml stem when this page models the same "
                                              "accelerator, else omitted.", default=None, example="coral_edge_tpu"),
                               "teacher": _MEASURED_MODEL,
                               "student": _MEASURED_MODEL,
                               "reference": _REFERENCE,
                               "locator": _LOCATOR,
                           })),
})

FILES: tuple[tuple[str, Mapping], ...] = (
    ("content/site.yaml", SITE),
    ("content/sections/*.md", SECTION),
    ("content/examples.yaml", EXAMPLES),
    ("content/temperature.yaml", TEMPERATURE),
    ("content/labels.yaml", LABELS),
    ("content/training.yaml", TRAINING),
    ("content/references.yaml", REFERENCES),
    ("content/models/*.yaml", MODEL),
    ("content/devices/*.yaml", DEVICE),
    ("content/energy.yaml", ENERGY),
    ("content/reference_models.yaml", REFERENCE_MODELS),
    ("content/distillation_results.yaml", DISTILLATION_RESULTS),
    ("content/hardware_page.yaml", HARDWARE_PAGE),
    ("content/lab.yaml", LAB),
    ("content/self_check.yaml", SELF_CHECK),
    ("content/glossary.yaml", GLOSSARY),
    ("content/scenes.yaml", SCENES),
)
"""Every content file (or kind of file) and its schema, in the order the docs list them."""


# --- The author's reference, generated (kdsite schema > docs/content.md) -------------------------

def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else ""


def _flow(value: Any) -> str:
    """A value as YAML flow text, e.g. [1, 2] or {kernel: 3}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, str) and (not value or value[0] in "[{&*!|>'\"%@`#-?:" or ": " in value or " #" in value):
        return '"' + value.replace('"', '\\"') + '"'
    return yaml_text(value)


def reference_markdown() -> str:
    """The Markdown reference of every content file and field: type, unit, range, default, doc, example."""
    lines = ["# Content reference", "",
             "Generated by `kdsite schema` from kdsite/content/schema.py; do not edit by hand.", "",
             "Rules for every file: a number may be written 0.001, 1e-3 or \"0.001\" (all the same number); "
             "true and false are never numbers; a whole number may be written 30 or 30.0, but 30.7 where a whole "
             "number is required is an error. A key the schema does not know is a warning (an error under "
             "`kdsite build --strict`). A field with a default may be left out or left empty. "
             "`[]` in a field path means every entry of a list; `<name>` any key of a mapping.", ""]
    for file, mapping in FILES:
        lines += [f"## `{file}`", "", mapping.doc, "",
                  "| field | type | unit | range | default | description | example |",
                  "|---|---|---|---|---|---|---|"]
        for path, field in mapping.children(""):
            example = "" if isinstance(field, (Mapping, Variant)) else f"`{_flow(field.example_value())}`"
            lines.append("| " + " | ".join(_cell(text) for text in (
                f"`{path}`", field.type_text(), field.unit, field.range_text(), field.default_text(), field.doc,
                example)) + " |")
        lines.append("")
        if file in NOTES:
            lines += [NOTES[file], ""]
    return "\n".join(lines)
