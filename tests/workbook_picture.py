"""The README's picture of the clerks' workbook: the 职责 sheet of a real `qingdan export`, drawn by LibreOffice.

LibreOffice (headless) prints a copy of the workbook to PDF and poppler's pdftoppm turns the page into a PNG,
cropped to the table. The copy differs from the export only in how it prints: one sheet, its first rows, a page
about as wide as a screen, with column letters and row numbers (the findings of `qingdan import` name cells such
as 「职责!F12」). Run by `make workbook-screenshot`; not part of `make test`, as LibreOffice is large.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
JURISDICTION = "万盛"  # as the README's other picture
ROWS, LAST_COLUMN = 6, "J"  # the header and five duties, from 文件 to 具体工作
DPI = 130


def export(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "generator", "export", "--data", str(ROOT / "responsibilities"),
                    "--jurisdiction", JURISDICTION, "--out", str(out)], check=True, cwd=ROOT, capture_output=True)


def printable(book_path: Path, out: Path) -> None:
    book = openpyxl.load_workbook(book_path)
    for name in book.sheetnames:
        if name != "职责" and book[name].sheet_state == "visible":
            book[name].sheet_state = "hidden"  # hidden sheets are not printed
    book.active = book.sheetnames.index("职责")
    ws = book["职责"]
    ws.print_area = f"B1:{LAST_COLUMN}{ROWS}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = 72
    for side in ("left", "right", "top", "bottom", "header", "footer"):
        setattr(ws.page_margins, side, 0.2 if side not in ("header", "footer") else 0)
    ws.print_options.headings = True
    book.save(out)


def render(xlsx: Path, folder: Path) -> Path:
    profile = (folder / "profile").as_uri()  # a profile of its own: never the user's LibreOffice settings
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(folder), str(xlsx)], check=True, capture_output=True, timeout=300)
    return folder / (xlsx.stem + ".pdf")


def content_box(pdf: Path, folder: Path) -> tuple[int, int, int, int]:
    """x, y, width, height of the printed part of page 1, from a PPM rendering (no image library needed)."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / "page")],
                   check=True)
    raw = (folder / "page.ppm").read_bytes()
    magic, width, height, _, pixels = raw.split(maxsplit=4)
    assert magic == b"P6"
    width, height = int(width), int(height)
    dark_rows, dark_cols = [], set()
    for y in range(height):
        line = pixels[y * width * 3:(y + 1) * width * 3]
        marks = [x for x in range(0, width * 3, 3) if min(line[x:x + 3]) < 200]
        if marks:
            dark_rows.append(y)
            dark_cols.update((marks[0] // 3, marks[-1] // 3))
    margin = 12
    x0, x1, y0, y1 = min(dark_cols), max(dark_cols), dark_rows[0], dark_rows[-1]
    return max(x0 - margin, 0), max(y0 - margin, 0), x1 - x0 + 2 * margin, y1 - y0 + 2 * margin


def main(out: str) -> None:
    with tempfile.TemporaryDirectory(prefix="qingdan-picture-") as tmp:
        folder = Path(tmp)
        book = folder / "清单.xlsx"
        export(book)
        printable(book, folder / "picture.xlsx")
        pdf = render(folder / "picture.xlsx", folder)
        x, y, w, h = content_box(pdf, folder)
        target = Path(out).resolve()
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", "-x", str(x),
                        "-y", str(y), "-W", str(w), "-H", str(h), str(pdf), str(target.with_suffix(""))], check=True)
    print(f"已写入 {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs" / "assets" / "workbook.png"))
