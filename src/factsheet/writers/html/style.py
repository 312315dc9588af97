"""The fact box's style sheet, inlined into every page so the page makes no requests.

Its colours, type sizes and print margins are custom properties made from the
theme: sizes relative to the body's (1rem on screen, the theme's points in
print), so a reader's own font size still scales the page.
"""

from factsheet.rendering import theme

#: CSS custom properties and the theme colours they hold.
COLOURS = {
    "ink": theme.INK,
    "accent": theme.ACCENT,
    "muted": theme.MUTED,
    "quiet": theme.QUIET,
    "link": theme.LINK,
    "rule": theme.RULE,
    "header-fill": theme.HEADER_FILL,
    "band": theme.BAND,
    "paper": theme.PAPER,
}


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def custom_properties() -> dict[str, str]:
    """Return the page's custom properties: ``--ink``…, ``--size-ROLE`` (in rem) and ``--colour-ROLE``."""
    body = theme.ROLES["body"].size
    out = {f"--{name}": value for name, value in COLOURS.items()}
    for role, look in theme.ROLES.items():
        out[f"--size-{role.replace('_', '-')}"] = f"{_number(look.size / body)}rem"
        out[f"--colour-{role.replace('_', '-')}"] = look.colour
    return out


def _print_page() -> str:
    """Return the print rules: the theme's A4 page and margins, the body in the theme's points."""
    page = theme.PAGE
    margins = " ".join(f"{_number(v / theme.MM)}mm" for v in (page.top, page.right, page.bottom, page.left))
    return f"@page {{ size: A4; margin: {margins}; }}\n  body {{ font-size: {_number(theme.ROLES['body'].size)}pt; }}"


_ROOT = ":root { " + " ".join(f"{k}: {v};" for k, v in custom_properties().items()) + " }"

# System fonts only: a web font would be a request (or a large inline blob), and
# every reader's system font has the Latin, Cyrillic and punctuation a sheet uses.
_RULES = """
* { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink);
       font: 1rem/1.55 Georgia, "DejaVu Serif", "Times New Roman", serif; }
.factbox { max-width: 46rem; margin: 0 auto; padding: 1.25rem 1rem 2rem; }
h1, h2, h3, th, caption, figcaption, .meta, .dek, footer, .notes { font-family: system-ui, -apple-system,
       "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
h1 { font-size: var(--size-h1); color: var(--colour-h1); line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: var(--size-h2); color: var(--colour-h2); margin: 1.8rem 0 .5rem; padding-top: .4rem;
     border-top: 2px solid var(--ink); }
h3 { font-size: var(--size-h3); color: var(--colour-h3); margin: 1.2rem 0 .4rem; }
p { margin: 0 0 .8rem; }
.dek { font-size: var(--size-dek); color: var(--colour-dek); font-style: italic; margin-bottom: .5rem; }
.meta { font-size: var(--size-meta); color: var(--colour-meta); }
.lead { font-size: var(--size-lead); }
.caption, figcaption { font-size: var(--size-caption); color: var(--colour-caption); }
.note-para { font-size: var(--size-note); color: var(--colour-note); }
.quote-para { font-size: var(--size-quote); color: var(--colour-quote); }
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
sup { line-height: 0; }
a[role="doc-noteref"] { padding: 0 .1em; }
a[role="doc-noteref"]::before { content: "["; } a[role="doc-noteref"]::after { content: "]"; }
.table-wrap { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: var(--size-cell); }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); font-size: var(--size-cell-head); background: var(--header-fill); }
tbody tr:nth-child(even) { background: var(--band); }
figure { margin: 1rem 0 1.2rem; }
figure svg { width: 100%; max-width: 27rem; height: auto; display: block; }
ul { padding-left: 1.3rem; }
li { margin-bottom: .35rem; }
ins { background: #e6f4ea; text-decoration: underline; }
del { background: #fde8e8; }
.notes { font-size: var(--size-footnote); border-top: 1px solid var(--rule); margin-top: 2rem; }
.notes h2 { border-top: 0; font-size: 1rem; }
.notes ol { padding-left: 1.8rem; }
.notes li:target { background: #fff6d6; }
.backlinks a { margin-left: .3em; }
footer { font-size: var(--size-footer); color: var(--colour-footer); margin-top: 1.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
                   white-space: nowrap; }
@media (max-width: 34rem) {
  h1 { font-size: 1.45rem; }
  table { font-size: .82rem; }
  th, td { padding: .35rem .3rem; }
  /* a phone shows every column: each row is stacked, each cell under its column's name */
  .table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap th, .table-wrap td { display: block; }
  .table-wrap thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); white-space: nowrap; }
  .table-wrap tbody { border-top: 2px solid var(--rule); }
  .table-wrap tbody tr { background: none; }
  .table-wrap tbody th { font-size: .95rem; border-bottom: 0; padding-top: .6rem; }
  .table-wrap td { border-bottom: 0; padding: .15rem .3rem; }
  .table-wrap tr { border-bottom: 1px solid var(--rule); padding: .3rem 0; }
  .table-wrap td[data-label]::before { content: attr(data-label) ": "; content: attr(data-label) ": " / "";
                                       font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans",
                                       Arial, sans-serif; font-weight: 600; font-size: .78rem; color: var(--muted); }
}
@media print {
  %PRINT_PAGE%
  .factbox { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .notes a[href^="http"]::after { content: " <" attr(href) ">"; }
  .backlinks { display: none; }
}
"""

CSS = "\n" + _ROOT + _RULES.replace("%PRINT_PAGE%", _print_page())
