//! Vergleichsring's exported sheets as an XLSX workbook: one worksheet per [`Sheet`], numbers as
//! real number cells with the KPI's decimals as their number format (Excel shows them in the
//! user's locale, `1.234,56` in German), a missing value as its reason in grey italics, the
//! header bold and frozen.
//!
//! rust_xlsxwriter is about a megabyte of wasm, so this crate is its own: only the export
//! worker links it, and the app's first load stays small.
#![deny(missing_docs)]

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use vergleichsring_core::{Cell, Sheet};

/// The workbook of `sheets` as the bytes of an `.xlsx` file; an error says what failed in German.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, String> {
    build(sheets).map_err(|e| format!("Die Excel-Datei ließ sich nicht schreiben: {e}"))
}

fn build(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for sheet in sheets {
        write_sheet(book.add_worksheet(), sheet)?;
    }
    book.save_to_buffer()
}

/// The number format for `decimals` places with thousands separators (`#,##0.00`).
fn number_format(decimals: u32) -> Format {
    let pattern = if decimals == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(decimals as usize))
    };
    Format::new().set_num_format(pattern)
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let title = Format::new().set_bold().set_font_size(13);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xE8_EEF4));
    let missing = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x59_5959));
    let note = Format::new().set_font_color(Color::RGB(0x59_5959));

    let mut row: u32 = 0;
    for line in &sheet.title {
        ws.write_string_with_format(row, 0, line, &title)?;
        row += 1;
    }
    if !sheet.title.is_empty() {
        row += 1;
    }
    let header_row = row;
    for (c, text) in sheet.header.iter().enumerate() {
        ws.write_string_with_format(header_row, column(c), text, &head)?;
    }
    for cells in &sheet.rows {
        row += 1;
        for (c, cell) in cells.iter().enumerate() {
            let col = column(c);
            match cell {
                Cell::Text(text) => {
                    ws.write_string(row, col, text)?;
                }
                Cell::Number { value, decimals } => {
                    ws.write_number_with_format(row, col, *value, &number_format(*decimals))?;
                }
                Cell::Missing(reason) => {
                    ws.write_string_with_format(row, col, reason, &missing)?;
                }
                Cell::Empty => {}
            }
        }
    }
    row += 1;
    for line in &sheet.notes {
        row += 1;
        ws.write_string_with_format(row, 0, line, &note)?;
    }
    ws.set_freeze_panes(header_row + 1, 1)?;
    // Long headers wrap in fixed widths rather than widen their column beyond reading.
    for c in 0..sheet.header.len() {
        ws.set_column_width(column(c), if c == 0 { 28 } else { 16 })?;
    }
    Ok(())
}

/// A column index as the writer counts them (a sheet has far fewer than 16.384 columns).
fn column(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}
