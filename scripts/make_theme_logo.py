"""Draw the formal theme's example logo (templates/themes/formal-logo.png) with Pillow.

The logo is made here, from the bundled Liberation Serif, so its provenance is this script and
its licence the project's: a burgundy roundel with a white ring and an "EO" monogram for the
fictional "Example Organisation". Run from the repository root: python scripts/make_theme_logo.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SIZE = 160  # pixels; drawn at 4x and scaled down for smooth edges
BURGUNDY, WHITE = (90, 15, 30), (255, 255, 255)


def main() -> None:
    scale = 4
    big = SIZE * scale
    image = Image.new("RGB", (big, big), WHITE)
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=BURGUNDY)
    ring = big * 0.07
    draw.ellipse((ring, ring, big - ring, big - ring), outline=WHITE, width=int(big * 0.02))
    font = ImageFont.truetype(str(ROOT / "briefgen/fonts/LiberationSerif-Bold.ttf"), int(big * 0.4))
    draw.text((big / 2, big / 2), "EO", font=font, fill=WHITE, anchor="mm")
    small = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    # 16 colours keep the file around a kilobyte; no alpha channel, so PDF/A needs no soft mask.
    small = small.quantize(colors=16, method=Image.Quantize.MEDIANCUT)
    small.save(ROOT / "templates/themes/formal-logo.png", optimize=True)


if __name__ == "__main__":
    main()
