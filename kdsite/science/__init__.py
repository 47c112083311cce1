"""Stage 2, compute: pure numpy. Softmax and entropy, KD losses and gradients, the hardware model
(architecture counter, roofline, energy) and the distillation lab.

Arrays and dataclasses in, arrays and dataclasses out: no YAML, no caches, no Altair, no printing
(progress goes through a callable the caller passes). Nothing here imports content, charts,
figures, page or build.
"""
