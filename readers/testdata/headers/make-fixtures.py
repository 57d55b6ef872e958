#!/usr/bin/python3
"""Writes the fixtures of the header, encoding and CRLF tests of package readers (and of the
header check in package pipeline). The files are committed; run this only after changing it, then
check the tests and commit both:

    readers/testdata/headers/make-fixtures.py

The workbook is written by openpyxl (Debian: python3-openpyxl), a real producer; the CSV files are
written byte for byte, since their point is the exact bytes (line breaks, encodings, delimiters).
"""
import os

import openpyxl

os.chdir(os.path.dirname(os.path.abspath(__file__)))


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


# A blank header row: a title on line 1, line 2 (header_row: 2) blank, the names on line 3.
write("blank-header-row.csv", b"Order export 2026-11\r\n\r\nOrderNo,Qty\r\n10001,2\r\n")

# No header row at all (header_row: 0 with columns: [OrderNo, Qty, Note]).
write("headerless.csv", b"10001,2,first\n10002,5,second\n")

# Line breaks inside quoted fields, CRLF and LF in one file, and a lone CR: each kept as written.
write("crlf-quoted.csv",
      b'OrderNo,Note\r\n'
      b'10001,"line one\r\nline two"\r\n'
      b'10002,"unix\nbreak"\r\n'
      b'10003,"mixed\r\nthen\nand\r\nend"\r\n'
      b'10004,"lone\rcr"\r\n'
      b'10005,plain\r\n')

# A UTF-8 file (Norwegian text) that a spec declares windows-1252.
write("utf8-declared-cp1252.csv", "OrderNo;Description\n10001;Hjullaster\n10002;Kjøling og frys\n".encode("utf-8"))

# A Windows-1252 file read as UTF-8 (the default): one diagnosis for the file, not one per row.
write("cp1252-read-as-utf8.csv", "OrderNo;Description\n10001;Hjullaster\n10002;Kjøling\n10003;Blåbær\n".encode("cp1252"))

# A header whose names differ from the schema's by case and by a trailing space.
write("header-case-space.csv", b"orderNo,Qty ,Description\n10001,2,Hjullaster\n")

# A semicolon-separated file read with delimiter: ",".
write("wrong-delimiter.csv", b"OrderNo;OrderDate;Qty\n10001;03.11.2026;2\n10002;04.11.2026;5\n")

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Blank header"  # a title, a blank row 2 (header_row: 2), the names on row 3
ws["A1"] = "Sites export"
ws["A3"], ws["B3"] = "Code", "Description"
ws["A4"], ws["B4"] = "S-001", "Head office"
ws = wb.create_sheet("No header")  # data from row 1 (header_row: 0, columns: [Code, Description])
ws.append(["S-001", "Head office"])
ws.append(["S-002", "Depot"])
ws = wb.create_sheet("Only blank")  # header_row: 2 is blank, and so is everything after it
ws["A1"] = "Sites export"
ws = wb.create_sheet("Cased")  # names that differ by case and a trailing space
ws.append(["code", "Description ", "Floors"])
ws.append(["S-001", "Head office", 3])
ws = wb.create_sheet("Sites")  # an empty required cell (B3) and text in a number column (C3)
ws.append(["Code", "Description", "Floors"])
ws.append(["S-001", "Head office", 3])
ws.append(["S-002", None, "two"])
wb.save("header-rows.xlsx")
