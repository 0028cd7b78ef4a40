/* bookxml.c: the merged workbook's SpreadsheetML (see bookxml.h), its
 * cells by cellxml.h's rule. Styles, by index: 0 plain, 1 bold (headers),
 * 2 a date, 3 a link. */
#include "bookxml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellxml.h"
#include "labels.h"
#include "text.h"
#include "xml_out.h"

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define LAST_COL (AT_BOOK_FIRST_COL + AT_NCOLS - 1)

/* Text as XML content: characters XML refuses replaced, then escaped. */
static void put_text_with(at_buf *out, at_xml_tmp *t, const char *s)
{
	if (at_xml_escape(out, t, s, strlen(s)))
		out->oom = 1;
}

static void put_text(at_buf *out, const char *s)
{
	at_xml_tmp t;
	at_xml_tmp_init(&t);
	put_text_with(out, &t, s);
	at_xml_tmp_free(&t);
}

/* A header: style 1, bold. */
static void head_cell(at_buf *out, at_xml_tmp *t, const char *s)
{
	at_cellxml_text(out, t, 0, 0, s, 1);
}

void at_bookxml_row(at_buf *out, at_xml_tmp *t, const char *shown,
		    const char *url, const at_cell *cells)
{
	at_buf_puts(out, "<row>");
	at_cellxml_text(out, t, 0, 0, shown, -1);
	if (url) {
		/* a formula, not a cell link: a sheet holds at most 65,530 of
		 * those, a consultation millions of rows; the URL is relative
		 * and percent-encoded (url.h), no quote can end it */
		at_buf_puts(out, "<c s=\"3\" t=\"str\"><f>HYPERLINK(&quot;");
		put_text_with(out, t, url);
		at_buf_puts(out, "&quot;)</f><v>");
		put_text_with(out, t, url);
		at_buf_puts(out, "</v></c>");
	} else {
		at_buf_puts(out, "<c/>");
	}
	/* style 2: a date */
	for (size_t c = 0; c < AT_NCOLS; c++)
		at_cellxml_cell(out, t, 0, 0, &cells[c], -1, 2);
	at_buf_puts(out, "</row>\n");
}

/* A width in characters as Excel stores it: with the 5 pixels of padding
 * of its 7-pixel digits, in 256ths (what a session's own sheet says). */
static void col_width(at_buf *out, unsigned from, unsigned to, int width)
{
	if (from <= to)
		at_buf_printf(out, "<col min=\"%u\" max=\"%u\" width=\"%.7g\" "
				   "customWidth=\"1\"/>",
			      from + 1, to + 1,
			      (double)(int)((width * 7 + 5) / 7.0 * 256) / 256);
}

void at_bookxml_sheet_head(at_buf *out, at_lang lang)
{
	const at_labels *l = at_labels_for(lang);
	unsigned text = AT_BOOK_FIRST_COL + AT_COL_TEXT;
	at_buf_puts(out, XML_DECL "<worksheet xmlns=\"" NS_MAIN
			 "\" xmlns:r=\"" NS_REL "\">"
			 "<sheetViews><sheetView workbookViewId=\"0\">"
			 "<pane ySplit=\"1\" topLeftCell=\"A2\" "
			 "activePane=\"bottomLeft\" state=\"frozen\"/>"
			 "</sheetView></sheetViews>"
			 "<sheetFormatPr defaultRowHeight=\"15\"/><cols>");
	col_width(out, 0, AT_BOOK_FIRST_COL - 1, 24);
	col_width(out, AT_BOOK_FIRST_COL, text - 1, 18);
	col_width(out, text, text, 60);
	col_width(out, text + 1, LAST_COL, 18);
	at_buf_puts(out, "</cols><sheetData>\n<row>");
	at_xml_tmp t;
	at_xml_tmp_init(&t);
	head_cell(out, &t, l->xlsx.file);
	head_cell(out, &t, l->xlsx.report);
	for (size_t c = 0; c < AT_NCOLS; c++)
		head_cell(out, &t, at_col_header(lang, (at_col)c));
	at_xml_tmp_free(&t);
	at_buf_puts(out, "</row>\n");
}

static void filter_range(at_buf *out, size_t rows, int absolute)
{
	at_buf_puts(out, absolute ? "$A$1:$" : "A1:");
	at_cellxml_col(out, LAST_COL);
	at_buf_printf(out, absolute ? "$%zu" : "%zu", rows);
}

void at_bookxml_sheet_tail(at_buf *out, size_t rows)
{
	at_buf_puts(out, "</sheetData>");
	if (rows > 1) {
		at_buf_puts(out, "<autoFilter ref=\"");
		filter_range(out, rows, 0);
		at_buf_puts(out, "\"/>");
	}
	at_buf_puts(out, "</worksheet>\n");
}

void at_bookxml_sheet_name(at_buf *out, at_lang lang, size_t index)
{
	const char *base = at_labels_for(lang)->xlsx.sheet[0];
	if (index)
		at_buf_printf(out, "%s %zu", base, index + 1);
	else
		at_buf_puts(out, base);
}

void at_bookxml_content_types(at_buf *out, size_t sheets)
{
	at_buf_puts(out,
		    XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/"
		    "package/2006/content-types\">"
		    "<Default Extension=\"rels\" ContentType=\"application/"
		    "vnd.openxmlformats-package.relationships+xml\"/>"
		    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		    "<Override PartName=\"/xl/workbook.xml\" ContentType=\""
		    "application/vnd.openxmlformats-officedocument.spreadsheetml"
		    ".sheet.main+xml\"/>");
	for (size_t i = 1; i <= sheets; i++)
		at_buf_printf(out,
			      "<Override PartName=\"/xl/worksheets/sheet%zu.xml\" "
			      "ContentType=\"application/vnd.openxmlformats-"
			      "officedocument.spreadsheetml.worksheet+xml\"/>",
			      i);
	at_buf_puts(out,
		    "<Override PartName=\"/xl/styles.xml\" ContentType=\""
		    "application/vnd.openxmlformats-officedocument.spreadsheetml"
		    ".styles+xml\"/>"
		    "<Override PartName=\"/docProps/core.xml\" ContentType=\""
		    "application/vnd.openxmlformats-package.core-properties+xml\"/>"
		    "<Override PartName=\"/docProps/app.xml\" ContentType=\""
		    "application/vnd.openxmlformats-officedocument.extended-"
		    "properties+xml\"/></Types>\n");
}

void at_bookxml_workbook(at_buf *out, at_lang lang, const size_t *rows,
			 size_t sheets)
{
	at_buf name;
	at_buf_init(&name);
	at_buf_puts(out, XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
			 "\"><bookViews><workbookView/></bookViews><sheets>");
	for (size_t i = 0; i < sheets; i++) {
		at_buf_clear(&name);
		at_bookxml_sheet_name(&name, lang, i);
		at_buf_puts(out, "<sheet name=\"");
		put_text(out, at_buf_cstr(&name));
		at_buf_printf(out, "\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", i + 1,
			      i + 1);
	}
	at_buf_puts(out, "</sheets><definedNames>");
	for (size_t i = 0; i < sheets; i++) {
		if (rows[i] <= 1)
			continue;
		at_buf_clear(&name);
		at_bookxml_sheet_name(&name, lang, i);
		at_buf_printf(out, "<definedName name=\"_xlnm._FilterDatabase\" "
				   "localSheetId=\"%zu\" hidden=\"1\">'",
			      i);
		put_text(out, at_buf_cstr(&name));
		at_buf_puts(out, "'!");
		filter_range(out, rows[i], 1);
		at_buf_puts(out, "</definedName>");
	}
	at_buf_puts(out, "</definedNames></workbook>\n");
	if (name.oom)
		out->oom = 1;
	at_buf_free(&name);
}

void at_bookxml_workbook_rels(at_buf *out, size_t sheets)
{
	at_buf_puts(out, XML_DECL "<Relationships xmlns=\"" NS_PKG "\">");
	for (size_t i = 1; i <= sheets; i++)
		at_buf_printf(out,
			      "<Relationship Id=\"rId%zu\" Type=\"" NS_REL
			      "/worksheet\" Target=\"worksheets/sheet%zu.xml\"/>",
			      i, i);
	at_buf_printf(out,
		      "<Relationship Id=\"rId%zu\" Type=\"" NS_REL
		      "/styles\" Target=\"styles.xml\"/></Relationships>\n",
		      sheets + 1);
}

void at_bookxml_styles(at_buf *out)
{
	at_buf_puts(out,
		    XML_DECL "<styleSheet xmlns=\"" NS_MAIN "\">"
		    "<numFmts count=\"1\"><numFmt numFmtId=\"164\" "
		    "formatCode=\"yyyy-mm-dd\"/></numFmts>"
		    "<fonts count=\"3\">"
		    "<font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
		    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font>"
		    "<font><u/><sz val=\"11\"/><color rgb=\"FF0000FF\"/>"
		    "<name val=\"Calibri\"/></font></fonts>"
		    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/>"
		    "</fill><fill><patternFill patternType=\"gray125\"/></fill>"
		    "</fills><borders count=\"1\"><border><left/><right/><top/>"
		    "<bottom/><diagonal/></border></borders>"
		    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" "
		    "fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
		    "<cellXfs count=\"4\">"
		    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" "
		    "xfId=\"0\"/>"
		    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" "
		    "xfId=\"0\" applyFont=\"1\"/>"
		    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" "
		    "xfId=\"0\" applyNumberFormat=\"1\"/>"
		    "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" "
		    "xfId=\"0\" applyFont=\"1\"/></cellXfs>"
		    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" "
		    "xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>\n");
}

void at_bookxml_root_rels(at_buf *out)
{
	at_buf_puts(out,
		    XML_DECL "<Relationships xmlns=\"" NS_PKG "\">"
		    "<Relationship Id=\"rId1\" Type=\"" NS_REL
		    "/officeDocument\" Target=\"xl/workbook.xml\"/>"
		    "<Relationship Id=\"rId2\" Type=\"http://schemas."
		    "openxmlformats.org/package/2006/relationships/metadata/"
		    "core-properties\" Target=\"docProps/core.xml\"/>"
		    "<Relationship Id=\"rId3\" Type=\"" NS_REL
		    "/extended-properties\" Target=\"docProps/app.xml\"/>"
		    "</Relationships>\n");
}

void at_bookxml_core(at_buf *out, long long timestamp)
{
	char when[32];
	at_xml_datetime(at_rows_created(timestamp), when, sizeof when);
	at_buf_printf(out,
		      XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas."
		      "openxmlformats.org/package/2006/metadata/core-properties\" "
		      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		      "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
		      "<dc:title>Contributions</dc:title>"
		      "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%sZ"
		      "</dcterms:created></cp:coreProperties>\n",
		      when);
}

void at_bookxml_app(at_buf *out)
{
	at_buf_puts(out, XML_DECL "<Properties xmlns=\"http://schemas."
			 "openxmlformats.org/officeDocument/2006/extended-"
			 "properties\"><Application>atelier</Application>"
			 "</Properties>\n");
}
