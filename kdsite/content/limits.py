"""Bounds on every content number that scales the build's work or could overflow, in one place.

Each bound is generous: the shipped content sits well inside it (shipped values in comments).
Outside it, the reader of the field reports a file:line ContentError whose hint states the range;
the README's "Limits" list repeats these numbers for authors.
"""

from __future__ import annotations


# Temperatures (every file): softmax(z/T) stays finite for |z| ≤ MAX_ABS_LOGIT, and T² stays small.
TEMPERATURE_MIN, TEMPERATURE_MAX = 0.05, 100.0  # shipped: 0.1 … 16
MAX_ABS_LOGIT = 100.0  # |z| of the example logits; shipped: ≤ 7.2

# examples.yaml
MAX_CLASSES = 20  # shipped: 5
MAX_EXAMPLES = 50  # shipped: 5
MAX_QUESTIONS = 20  # self_check.yaml; shipped: 6
MAX_SCENES = 100  # scenes.yaml: each is a step of presenter mode with its own QR code
MAX_SCENE_SETTINGS = 10  # controls one scene sets
MAX_CHOICES = 6  # per question; shipped: ≤ 4
MAX_GLOSSARY_TERMS = 100  # glossary.yaml; shipped: 18
MAX_TERM_FORMS = 10  # other forms of one term; shipped: ≤ 3

# temperature.yaml and training.yaml log grids: at most 20 points a decade keeps two-figure points
# distinct (kdsite/science/grids.py), and with the temperature range above at most 67 points in all.
MAX_POINTS_PER_DECADE = 20  # shipped: 10 (temperature.yaml) and 5 (training.yaml)
MAX_ALPHA_POINTS = 101  # training.yaml α grid 0, step, …, 1; shipped: 21
MIN_PROGRESS_POINTS, MAX_PROGRESS_POINTS = 2, 201  # shipped: 11
MAX_LOSS_CURVE_ROWS = 250_000  # examples × temperatures × alphas × progress points; shipped: 11,550

# lab.yaml
MAX_SEED = 2**32 - 1
MAX_SEEDS = 10  # shipped: 3
MAX_HIDDEN_LAYERS = 4  # shipped: 2
MAX_HIDDEN_UNITS = 1024  # per hidden layer and per swept width; shipped: ≤ 256
MAX_LAB_EPOCHS = 1000  # shipped: ≤ 100
MAX_BATCH_SIZE = 2048  # shipped: ≤ 64
MAX_GRID_TEMPERATURES = 20  # shipped: 5
MAX_GRID_ALPHAS = 21  # shipped: 5
MAX_SWEEP_WIDTHS = 10  # shipped: 5
MAX_TRANSFER_SETS = 5  # shipped: 2
MAX_LEARNING_RATE = 1.0  # shipped: ≤ 0.003
MAX_WEIGHT_DECAY = 1.0  # shipped: 0
MAX_INPUT_NOISE = 10.0  # standardized pixel units; shipped: 0.5

# models/*.yaml
MAX_INPUT_CHANNELS = 64  # shipped: 3
MAX_INPUT_SIDE = 4096  # input height and width in pixels; shipped: 224
MAX_CHANNELS = 16_384  # any conv's channels, a stage width, a row's out/expanded channels; shipped: ≤ 2048
MAX_KERNEL = 15  # shipped: ≤ 7
MAX_STRIDE = 8  # shipped: ≤ 2
MAX_STAGES = 10  # ResNet stages; shipped: 4
MAX_BLOCKS = 100  # residual blocks per stage; shipped: ≤ 36
MAX_ROWS = 50  # inverted-residual table rows; shipped: ≤ 11
MAX_REPEATS = 50  # repeats of a row; shipped: ≤ 4
MAX_EXPANSION = 16  # expansion ratio t and ResNet block expansion; shipped: ≤ 6
MAX_GROUPS = 1024  # ResNet groups and width_per_group; shipped: 1 and 64
MAX_FEATURES = 65_536  # classifier hidden features; shipped: 1024
MAX_HIDDEN_FEATURE_LAYERS = 4  # shipped: 1
MAX_NUM_CLASSES = 100_000  # shipped: 1000
# MAX_MODEL_MACS, MAX_MODEL_PARAMS: the counter's own limits, kdsite/science/architecture.py

# devices/*.yaml
PEAK_OPS_RANGE = (1e6, 1e18)  # operations per second; shipped: 1.3e10 … 4e13
BANDWIDTH_RANGE = (1e6, 1e15)  # bytes per second; shipped: 4e8 … 6.8e10
MAX_ON_CHIP_BYTES = 1e12  # shipped: ≤ 8e6
MAX_FACTOR = 1e15  # any factor of a derived number; shipped: ≤ 4e13 (a sparse peak)
MAX_LAYER_OVERHEAD_S = 1.0  # seconds per layer of the per-layer model; shipped: ≤ 2e-5

# energy.yaml
MAX_ENERGY_PJ = 1e6  # per operation or per 32-bit word; shipped: ≤ 1300

# A measured inference time: from 1 µs to about 3 hours, so ratios to it stay printable
# (hardware_page.yaml: measured_latency, measured_pairs).
MIN_MEASURED_MS, MAX_MEASURED_MS = 1e-3, 1e7
