#!/usr/bin/python3
"""Writes sites.xlsx, the onkey-sites-mistakes sample's workbook, with openpyxl (Debian
python3-openpyxl): a workbook as a data owner sends it, with a read-me sheet holding a formula,
styled headers, a number format, column widths, a comment of the owner's own, and one mistake of
each kind bulkload finds. Run it from this folder: /usr/bin/python3 make_workbook.py"""
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

wb = Workbook()
readme = wb.active
readme.title = "Read me"
readme["A1"] = "Sites for the Cape region, sent by the asset register team."
readme["A2"] = "Sites listed:"
readme["B2"] = "=COUNTA(Sites!A:A)-1"
readme.column_dimensions["A"].width = 60

head_font = Font(bold=True, color="FFFFFF")
head_fill = PatternFill("solid", fgColor="305496")


def sheet(title, header, rows, widths):
    ws = wb.create_sheet(title)
    ws.append(header)
    for c in ws[1]:
        c.font, c.fill = head_font, head_fill
    for r in rows:
        ws.append(r)
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    return ws


sheet("SiteTypes", ["sap_id", "code", "description", "permission_tree"], [
    ["SAP-T01", "WHOUSE", "Warehouse", "A20"],
    ["SAP-T02", "FAC", "Facility", "A20"],
], {"A": 12, "C": 20})

sites = sheet("Sites", ["sap_id", "code", "description", "permission_tree", "parent_site_id",
                        "sequence_number", "site_type_id", "currency_id", "time_zone_offset", "is_virtual"], [
    ["SAP-S01", "CPT", "Cape Town", "A20", 5000001001, "2", 5000001000, 14, 2, False],
    # validation: the code breaks the schema's pattern
    ["SAP-S02", "jnb east", "Johannesburg East", "A20", 5000001001, "3", 5000001000, 14, 2, False],
    # typing: a number column holding words
    ["SAP-S03", "DBN", "Durban", "A20", 5000001001, "4", 5000001000, 14, "two", False],
    # cross-row: two rows with one SAP key (userObjectId)
    ["SAP-S04", "PLZ", "Port Elizabeth", "A20", 5000001001, "5", 5000001000, 14, 2, False],
    ["SAP-S04", "GRJ", "George", "A20", 5000001001, "6", 5000001000, 14, 2, False],
    # server-side: no PermissionTree A99 on the server (valid in a dry run, refused by a run)
    ["SAP-S06", "BFN", "Bloemfontein", "A99", 5000001001, "7", 5000001000, 14, 2, False],
    ["SAP-S07", "KIM", "Kimberley", "A20", 5000001001, "8", 5000001000, 14, 2.5, False],
], {"A": 12, "B": 10, "C": 22, "I": 16})
for row in sites.iter_rows(min_row=2, min_col=9, max_col=9):
    for c in row:
        c.number_format = "0.0"
sites["B3"].comment = Comment("Kari: is this the new code?", "Kari")
wb.active = wb.index(sites)
wb.save("sites.xlsx")
