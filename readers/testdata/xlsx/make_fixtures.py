#!/usr/bin/python3
"""Writes the XLSX fixtures that openpyxl and xlsxwriter make (see make-fixtures.sh, which runs
this with Debian's python3-openpyxl and python3-xlsxwriter), and records what openpyxl reads in
every committed workbook in conformance.golden.json:

    make_fixtures.py write    # the openpyxl and xlsxwriter workbooks, and moved-parts.xlsx
    make_fixtures.py golden   # conformance.golden.json from every *.xlsx in this folder

Each workbook is one failure class of the XLSX reader (issue 13); the Go tests beside it say
what each must read or the error it must give.
"""
import datetime as dt
import glob
import json
import os
import re
import sys
import zipfile

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter

HERE = os.path.dirname(os.path.abspath(__file__))
# Formula errors: the seven of Excel 2007, and those of later versions (dynamic arrays, linked
# data types, LAMBDA), which openpyxl does not know and is told to write as errors.
CLASSIC_ERRORS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"]
NEW_ERRORS = ["#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"]


def path(name):
    return os.path.join(HERE, name)


def structure():
    """structure.xlsx (openpyxl): a table starting in column C, a blank spacer column, a sheet
    whose styled empty cells reach T200 (so its dimension is A1:T200), and an empty sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Offset"
    ws["C1"], ws["D1"], ws["E1"] = "Code", "Name", "Qty"
    for i, (code, name, qty) in enumerate([("S-1", "Pump", 3), ("S-2", "Valve", 12)], start=2):
        ws.cell(i, 3, code), ws.cell(i, 4, name), ws.cell(i, 5, qty)
    sp = wb.create_sheet("Spacer")
    sp.append(["Code", None, "Name"])
    sp.append(["S-1", None, "Pump"])
    sp.append(["S-2", None, "Valve"])
    big = wb.create_sheet("Dimension")
    big.append(["Code", "Name"])
    big.append(["S-1", "Pump"])
    big["T200"].font = openpyxl.styles.Font(bold=True)  # a styled cell without a value
    bad = wb.create_sheet("BlankOverData")
    bad.append(["Code", None, "Name"])
    bad.append(["S-1", None, "Pump"])
    bad.append(["S-2", "stray", "Valve"])
    wb.create_sheet("Empty")
    wb.save(path("structure.xlsx"))


def kinds(name, epoch):
    """kinds.xlsx / kinds1904.xlsx (openpyxl): every cell kind under columns that the schema
    kinds.schema.json types as a date, a date-time, a string and a number; and every formula
    error."""
    wb = openpyxl.Workbook()
    wb.epoch = epoch
    ws = wb.active
    ws.title = "Kinds"
    ws.append(["Case", "Day", "At", "Text", "Amount"])
    day = dt.date(2024, 1, 2)
    at = dt.datetime(2024, 1, 2, 10, 30, 15, 123000)
    rows = [
        ("date", day, at, day, day),
        ("midnight", dt.datetime(2024, 2, 29), dt.datetime(2024, 2, 29), dt.datetime(2024, 2, 29), 45000),
        ("number", 45000, 45000.5, 45000, 0.1),
        ("boolean", True, False, True, False),
        ("numeric text", "45000", "45000.5", "007", "1234.5"),
        ("text", "2024-01-02", "2024-01-02 10:30:00", "Pump", "12,5"),
        ("milliseconds", dt.datetime(1999, 12, 31, 23, 59, 59, 999000), dt.datetime(1999, 12, 31, 23, 59, 59, 999000),
         dt.datetime(1999, 12, 31, 23, 59, 59, 999000), 1e21),
    ]
    for r in rows:
        ws.append(list(r))
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, dt.datetime):
                c.number_format = "yyyy-mm-dd hh:mm:ss.000"
    errs = wb.create_sheet("Errors")
    errs.append(["Error", "Day", "Text", "Amount"])
    for e in CLASSIC_ERRORS + NEW_ERRORS:
        errs.append([e.strip("#!?"), e, e, e])
        for c in errs[errs.max_row][1:]:
            c.data_type = "e"
    wb.save(path(name))


def writer():
    """writer.xlsx (xlsxwriter): formulas with cached values (number, text, boolean, each
    classic error), rich text, a merged header over a column that holds nothing, and one over a
    column that holds data; writer-inline.xlsx: the same values as inline strings
    (constant_memory)."""
    for name, opts in [("writer.xlsx", {}), ("writer-inline.xlsx", {"constant_memory": True})]:
        wb = xlsxwriter.Workbook(path(name), opts)
        bold = wb.add_format({"bold": True})
        ws = wb.add_worksheet("Formulas")
        ws.write_row(0, 0, ["Case", "Value"])
        ws.write(1, 0, "sum")
        ws.write_formula(1, 1, "=1+2", None, 3)
        ws.write(2, 0, "text")
        ws.write_formula(2, 1, '="Pu"&"mp"', None, "Pump")
        ws.write(3, 0, "boolean")
        ws.write_formula(3, 1, "=1=1", None, True)
        for i, e in enumerate(CLASSIC_ERRORS, start=4):
            ws.write(i, 0, e)
            ws.write_formula(i, 1, "=1/0" if e == "#DIV/0!" else "=NA()", None, e)
        ws.write(11, 0, "rich")
        ws.write_rich_string(11, 1, "Lager ", bold, "Nord", " AS")
        m = wb.add_worksheet("Merged")
        m.merge_range(0, 1, 0, 2, "Address", bold)
        m.write(0, 0, "Code")
        m.write_row(1, 0, ["S-1", "Storgata 1"])
        m.write_row(2, 0, ["S-2", "Kaia 2"])
        md = wb.add_worksheet("MergedOverData")
        md.merge_range(0, 1, 0, 2, "Address", bold)
        md.write(0, 0, "Code")
        md.write_row(1, 0, ["S-1", "Storgata", "1"])
        dates = wb.add_worksheet("Dates")
        fmt = wb.add_format({"num_format": "dd.mm.yyyy hh:mm:ss.000"})
        dates.write_row(0, 0, ["Case", "At"])
        dates.write(1, 0, "milliseconds")
        dates.write_datetime(1, 1, dt.datetime(2024, 1, 2, 10, 30, 15, 123000), fmt)
        wb.close()
    wb = xlsxwriter.Workbook(path("writer1904.xlsx"), {"date_1904": True})
    ws = wb.add_worksheet("Dates")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["Case", "Day"])
    ws.write(1, 0, "epoch")
    ws.write_datetime(1, 1, dt.datetime(1904, 1, 1), fmt)
    ws.write(2, 0, "leap")
    ws.write_datetime(2, 1, dt.datetime(2024, 2, 29), fmt)
    wb.close()


def moved_parts():
    """moved-parts.xlsx: an xlsxwriter workbook whose parts are moved away from the names writers
    usually give them (workbook, sheet, shared strings), its relationships and content types
    rewritten to match, as a package may be. The styles stay at xl/styles.xml, named by an
    absolute target, since openpyxl, which records the golden values, reads them only there."""
    src = path("moved-parts.src.xlsx")
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet("Sites")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["Code", "Opened"])
    ws.write(1, 0, "S-1")
    ws.write_datetime(1, 1, dt.datetime(2024, 1, 2), fmt)
    ws.write(2, 0, "S-2")
    ws.write_datetime(2, 1, dt.datetime(2023, 3, 15), fmt)
    wb.close()
    moves = {
        "xl/workbook.xml": "book/main.xml",
        "xl/_rels/workbook.xml.rels": "book/_rels/main.xml.rels",
        "xl/worksheets/sheet1.xml": "book/tables/first.xml",
        "xl/sharedStrings.xml": "book/text.xml",
        "xl/theme/theme1.xml": "book/theme.xml",
    }
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path("moved-parts.xlsx"), "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename).decode("utf-8")
            if item.filename == "_rels/.rels":
                data = data.replace("xl/workbook.xml", "book/main.xml")
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace('"worksheets/sheet1.xml"', '"tables/first.xml"') \
                    .replace('"sharedStrings.xml"', '"/book/text.xml"') \
                    .replace('"styles.xml"', '"/xl/styles.xml"').replace('"theme/theme1.xml"', '"theme.xml"')
            if item.filename == "[Content_Types].xml":
                for old, new in moves.items():
                    data = data.replace('"/' + old + '"', '"/' + new + '"')
            zout.writestr(moves.get(item.filename, item.filename), data)
    os.remove(src)


def golden():
    """Records, for every workbook here, each non-empty cell as openpyxl reads it (cached values
    of formulas): its sheet, reference, kind and value."""
    out = {}
    for f in sorted(glob.glob(path("*.xlsx"))):
        wb = openpyxl.load_workbook(f, data_only=True)
        book = {}
        for ws in wb.worksheets:
            cells = []
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None or c.value == "":
                        continue
                    v = c.value
                    if isinstance(v, dt.datetime):
                        kind, v = "date", v.isoformat(timespec="milliseconds")
                    elif isinstance(v, dt.date):
                        kind, v = "date", dt.datetime(v.year, v.month, v.day).isoformat(timespec="milliseconds")
                    elif isinstance(v, (dt.time, dt.timedelta)):
                        kind, v = "time", str(v)
                    elif isinstance(v, bool):
                        kind, v = "boolean", "TRUE" if v else "FALSE"
                    elif isinstance(v, (int, float)):
                        kind, v = "number", repr(float(v))
                    elif c.data_type == "e":
                        kind = "error"
                    else:
                        kind = "text"
                    cells.append([c.coordinate, kind, v])
            book[ws.title] = cells
        out[os.path.basename(f)] = book
    with open(path("conformance.golden.json"), "w") as g:  # one cell a line
        g.write("{\n")
        for i, (f, book) in enumerate(sorted(out.items())):
            g.write(" %s: {\n" % json.dumps(f))
            for j, (sheet, cells) in enumerate(book.items()):
                g.write("  %s: [" % json.dumps(sheet, ensure_ascii=False))
                g.write(",".join("\n   " + json.dumps(c, ensure_ascii=False) for c in cells))
                g.write("\n  ]" if cells else "]")
                g.write(",\n" if j < len(book) - 1 else "\n")
            g.write(" }" + (",\n" if i < len(out) - 1 else "\n"))
        g.write("}\n")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "write"
    if what == "write":
        structure()
        kinds("kinds.xlsx", openpyxl.utils.datetime.CALENDAR_WINDOWS_1900)
        kinds("kinds1904.xlsx", openpyxl.utils.datetime.CALENDAR_MAC_1904)
        writer()
        moved_parts()
    elif what == "golden":
        golden()
    else:
        sys.exit("usage: make_fixtures.py write|golden")
