"""Charts of the label section: the teacher's raw logits, the one-hot hard label and the soft label."""

from __future__ import annotations

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, fixed_domain


def example_bars(rows: list[dict], field: str, title: str, color: str, description: str,
                 default_example: str, domain: list[float] | None = None, height: int = 140,
                 percent_axis: bool = False) -> dict:
    """Bars of `field` per class for the chosen example (param `example`); `shown` holds the printed value.

    `rows` carry example, class, the numeric field and a preformatted `<field>_shown` string.
    """
    data = Datasets()
    example = alt.param(name="example", value=default_example)
    classes = list(dict.fromkeys(row["class"] for row in rows))
    shown = f"{field}_shown"
    label = f"{field}_label"
    base = alt.Chart(data(rows)).transform_filter(alt.datum.example == example)
    x = alt.X("class:N", sort=classes, title="Class", axis=alt.Axis(labelAngle=0))
    scale = alt.Scale(domain=domain) if domain else alt.Scale(zero=True)
    bars = base.mark_bar(color=color).encode(
        x=x, y=alt.Y(f"{field}:Q", title=title, scale=scale,
                     axis=alt.Axis(format=".0%") if percent_axis else alt.Axis()),
        tooltip=[alt.Tooltip("class:N", title="Class"), alt.Tooltip(f"{shown}:N", title=title)],
        description=alt.Description(f"{label}:N"),
    )
    text = base.mark_text(dy=-4, baseline="bottom").encode(
        x=x, y=alt.Y(f"{field}:Q"), text=f"{shown}:N", description=alt.Description(f"{label}:N"))
    return data.spec(alt.layer(bars, text).add_params(example).properties(
        width=WIDTH, height=height, description=description))


@cached
def logit_bars(rows: list[dict], default_example: str, description: str) -> dict:
    """The teacher's raw logits (never changed by T)."""
    return example_bars(rows, "logit", "Logit", PALETTE["muted"], description, default_example,
                        domain=fixed_domain((row["logit"] for row in rows), zero=True))


@cached
def hard_label_bars(rows: list[dict], default_example: str, description: str) -> dict:
    """The one-hot hard label."""
    return example_bars(rows, "hard", "Target probability", PALETTE["highlight"], description,
                        default_example, domain=[0, 1], height=130)


@cached
def soft_label_bars(rows: list[dict], default_example: str, description: str) -> dict:
    """The teacher's soft label at the section's temperature."""
    return example_bars(rows, "soft", "Target probability", PALETTE["accent"], description,
                        default_example, domain=[0, 1], height=130, percent_axis=True)  # as its values print
