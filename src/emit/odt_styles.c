/* odt_styles.c: the styles of the ODT compte-rendu. Named styles (the
 * word processor's own "Title", "Heading 1" to "Heading 6" with their
 * outline levels, "Text body", list styles, "Caption"...) live in
 * styles.xml so that a reader's table of contents, navigator and
 * restyling work on them; what only this document's tables and frames
 * need is content.xml's automatic styles. The page: A4, 2 cm margins,
 * the title in the header and "n / N" in the footer but on the first
 * page. Fonts: DejaVu Sans (Debian's fonts-dejavu-core), falling back to
 * the reader's sans serif. */
#include "odt_out.h"

#include <string.h>

#define NS \
	"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
	"xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" " \
	"xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" " \
	"xmlns:xlink=\"http://www.w3.org/1999/xlink\" " \
	"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " \
	"xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" " \
	"xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" " \
	"xmlns:loext=\"urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0\" " \
	"office:version=\"1.3\""

#define FONTS \
	"<office:font-face-decls><style:font-face style:name=\"DejaVu Sans\" " \
	"svg:font-family=\"'DejaVu Sans'\" style:font-family-generic=\"swiss\" " \
	"style:font-pitch=\"variable\"/><style:font-face " \
	"style:name=\"DejaVu Sans Mono\" svg:font-family=\"'DejaVu Sans Mono'\" " \
	"style:font-family-generic=\"modern\" style:font-pitch=\"fixed\"/>" \
	"</office:font-face-decls>\n"

/* A paragraph style: name, display name, parent, next, then its
 * paragraph and text properties. */
#define PSTYLE(name, display, parent, para, txt) \
	"<style:style style:name=\"" name "\" style:display-name=\"" display \
	"\" style:family=\"paragraph\" style:parent-style-name=\"" parent \
	"\"><style:paragraph-properties " para "/><style:text-properties " \
	txt "/></style:style>\n"

#define HEADING(n, size, above) \
	"<style:style style:name=\"Heading_20_" #n "\" style:display-name=\"" \
	"Heading " #n "\" style:family=\"paragraph\" style:parent-style-name=" \
	"\"Heading\" style:next-style-name=\"Text_20_body\" " \
	"style:default-outline-level=\"" #n "\" style:class=\"text\">" \
	"<style:paragraph-properties fo:margin-top=\"" above "\" " \
	"fo:margin-bottom=\"0.15cm\"/><style:text-properties " \
	"fo:font-size=\"" size "\" fo:font-weight=\"bold\"/></style:style>\n"

#define TSTYLE(name, display, txt) \
	"<style:style style:name=\"" name "\" style:display-name=\"" display \
	"\" style:family=\"text\"><style:text-properties " txt \
	"/></style:style>\n"

#define GREY "fo:color=\"#555555\""

static const char *const named[] = {
	"<style:default-style style:family=\"paragraph\">"
	"<style:paragraph-properties fo:hyphenation-ladder-count=\"no-limit\" "
	"style:writing-mode=\"page\"/><style:text-properties "
	"style:font-name=\"DejaVu Sans\" fo:font-size=\"10pt\" "
	"fo:hyphenate=\"false\"/></style:default-style>\n",
	"<style:default-style style:family=\"table\"><style:table-properties "
	"table:border-model=\"collapsing\"/></style:default-style>\n",
	"<style:style style:name=\"Standard\" style:family=\"paragraph\" "
	"style:class=\"text\"/>\n",
	PSTYLE("Text_20_body", "Text body", "Standard",
	       "fo:margin-top=\"0cm\" fo:margin-bottom=\"0.2cm\" "
	       "fo:line-height=\"115%\"", "fo:font-size=\"10pt\""),
	PSTYLE("Title", "Title", "Standard",
	       "fo:margin-top=\"0.2cm\" fo:margin-bottom=\"0.2cm\"",
	       "fo:font-size=\"22pt\" fo:font-weight=\"bold\""),
	PSTYLE("Subtitle", "Subtitle", "Standard",
	       "fo:margin-bottom=\"0.2cm\"",
	       "fo:font-size=\"14pt\" " GREY),
	PSTYLE("Organiser", "Organiser", "Standard",
	       "fo:margin-bottom=\"0.1cm\"",
	       "fo:font-size=\"11pt\" fo:font-weight=\"bold\""),
	PSTYLE("Kicker", "Kicker", "Standard", "fo:margin-top=\"0.3cm\"",
	       "fo:font-size=\"10pt\" fo:text-transform=\"uppercase\" "
	       "fo:letter-spacing=\"0.05cm\" " GREY),
	PSTYLE("When", "When", "Standard", "fo:margin-bottom=\"0.1cm\"",
	       "fo:font-size=\"11pt\""),
	PSTYLE("Facilitators", "Facilitators", "Standard",
	       "fo:margin-bottom=\"0.4cm\"", GREY),
	"<style:style style:name=\"Heading\" style:family=\"paragraph\" "
	"style:parent-style-name=\"Standard\" style:next-style-name=\""
	"Text_20_body\" style:class=\"text\"><style:paragraph-properties "
	"fo:keep-with-next=\"always\"/><style:text-properties "
	"fo:color=\"#1f3a5f\"/></style:style>\n",
	HEADING(1, "16pt", "0.6cm"),
	HEADING(2, "13pt", "0.45cm"),
	HEADING(3, "11.5pt", "0.35cm"),
	HEADING(4, "10.5pt", "0.3cm"),
	HEADING(5, "10pt", "0.25cm"),
	HEADING(6, "10pt", "0.2cm"),
	PSTYLE("Question_20_Title", "Question Title", "Text_20_body",
	       "fo:keep-with-next=\"always\"", "fo:font-style=\"italic\""),
	PSTYLE("Label", "Label", "Text_20_body",
	       "fo:margin-bottom=\"0.05cm\" fo:keep-with-next=\"always\"",
	       "fo:font-weight=\"bold\""),
	PSTYLE("List_20_Contents", "List Contents", "Text_20_body",
	       "fo:margin-bottom=\"0.08cm\"", "fo:font-size=\"10pt\""),
	PSTYLE("Section", "Section", "Label", "fo:margin-top=\"0.1cm\"",
	       "fo:color=\"#1f3a5f\""),
	PSTYLE("Section_20_Driver", "Section Driver", "Section", "",
	       "fo:color=\"#1b6b34\""),
	PSTYLE("Section_20_Brake", "Section Brake", "Section", "",
	       "fo:color=\"#a3271f\""),
	PSTYLE("Column_20_Head", "Column Head", "Label", "",
	       "fo:text-transform=\"uppercase\" " GREY),
	PSTYLE("Facts", "Facts", "Text_20_body", "", "fo:font-size=\"9pt\" " GREY),
	PSTYLE("Figure", "Figure", "Standard",
	       "fo:margin-top=\"0.2cm\" fo:keep-with-next=\"always\"", ""),
	PSTYLE("Caption", "Caption", "Standard", "fo:margin-bottom=\"0.3cm\"",
	       "fo:font-size=\"9pt\" fo:font-style=\"italic\""),
	PSTYLE("Quotations", "Quotations", "Text_20_body",
	       "fo:margin-left=\"0.8cm\" fo:margin-right=\"0.8cm\"",
	       "fo:font-style=\"italic\""),
	PSTYLE("Preformatted_20_Text", "Preformatted Text", "Standard",
	       "fo:margin-bottom=\"0.2cm\"",
	       "style:font-name=\"DejaVu Sans Mono\" fo:font-size=\"9pt\""),
	"<style:style style:name=\"Horizontal_20_Line\" style:display-name="
	"\"Horizontal Line\" style:family=\"paragraph\" style:parent-style-name"
	"=\"Standard\"><style:paragraph-properties fo:margin-bottom=\"0.3cm\" "
	"fo:border-bottom=\"0.5pt solid #999999\" fo:padding=\"0cm\"/>"
	"</style:style>\n",
	PSTYLE("Table_20_Contents", "Table Contents", "Standard", "", ""),
	PSTYLE("Table_20_Heading", "Table Heading", "Table_20_Contents", "",
	       "fo:font-weight=\"bold\""),
	PSTYLE("Table_20_Caption", "Table Caption", "Label",
	       "fo:margin-top=\"0.2cm\"", ""),
	PSTYLE("Contents_20_Heading", "Contents Heading", "Heading",
	       "fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.2cm\"",
	       "fo:font-size=\"13pt\" fo:font-weight=\"bold\""),
	PSTYLE("Contents_20_1", "Contents 1", "Standard",
	       "fo:margin-top=\"0.1cm\"", ""),
	PSTYLE("Contents_20_2", "Contents 2", "Standard",
	       "fo:margin-left=\"0.6cm\"", GREY),
	PSTYLE("Generated", "Generated", "Standard", "fo:margin-top=\"0.8cm\"",
	       "fo:font-size=\"8pt\" " GREY),
	PSTYLE("Header", "Header", "Standard", "", "fo:font-size=\"8pt\" " GREY),
	PSTYLE("Footer", "Footer", "Standard", "fo:text-align=\"center\"",
	       "fo:font-size=\"8pt\" " GREY),
	PSTYLE("Legend", "Legend", "Caption", "", "fo:font-style=\"normal\""),
	TSTYLE("Strong_20_Emphasis", "Strong Emphasis", "fo:font-weight=\"bold\""),
	TSTYLE("Emphasis", "Emphasis", "fo:font-style=\"italic\""),
	TSTYLE("Source_20_Text", "Source Text",
	       "style:font-name=\"DejaVu Sans Mono\" fo:font-size=\"9pt\""),
	TSTYLE("Strikethrough", "Strikethrough",
	       "style:text-line-through-style=\"solid\" "
	       "style:text-line-through-type=\"single\""),
	TSTYLE("Meta", "Meta", "fo:font-size=\"8.5pt\" " GREY),
	TSTYLE("Index_20_Link", "Index Link", "style:text-underline-style=\"none\""),
	"<style:style style:name=\"Graphics\" style:family=\"graphic\">"
	"<style:graphic-properties text:anchor-type=\"paragraph\" "
	"style:wrap=\"none\"/></style:style>\n",
	NULL};

/* A list style of ten levels, each 0.6 cm further in. */
static void list_style(at_buf *b, const char *name, const char *display,
		       int numbered)
{
	static const char *const bullet[] = {"\xe2\x80\xa2", "\xe2\x97\xa6",
					     "\xe2\x96\xaa"};
	at_buf_printf(b, "<text:list-style style:name=\"%s\" "
			 "style:display-name=\"%s\">",
		      name, display);
	for (int k = 1; k <= 10; k++) {
		if (numbered)
			at_buf_printf(b, "<text:list-level-style-number "
					 "text:level=\"%d\" style:num-suffix=\".\" "
					 "style:num-format=\"1\">",
				      k);
		else
			at_buf_printf(b, "<text:list-level-style-bullet "
					 "text:level=\"%d\" text:bullet-char=\"%s\">",
				      k, bullet[(k - 1) % 3]);
		at_buf_printf(b, "<style:list-level-properties "
				 "text:list-level-position-and-space-mode="
				 "\"label-alignment\"><style:list-level-label-"
				 "alignment text:label-followed-by=\"listtab\" "
				 "text:list-tab-stop-position=\"%.1fcm\" "
				 "fo:text-indent=\"-0.5cm\" fo:margin-left="
				 "\"%.1fcm\"/></style:list-level-properties>",
			      0.6 * k, 0.6 * k);
		at_buf_puts(b, numbered ? "</text:list-level-style-number>"
					: "</text:list-level-style-bullet>");
	}
	at_buf_puts(b, "</text:list-style>\n");
}

/* Headings carry their numbers in their words (outline.h): the outline
 * numbers nothing. */
static void outline_style(at_buf *b)
{
	at_buf_puts(b, "<text:outline-style style:name=\"Outline\">");
	for (int k = 1; k <= 10; k++)
		at_buf_printf(b, "<text:outline-level-style text:level=\"%d\" "
				 "style:num-format=\"\"/>",
			      k);
	at_buf_puts(b, "</text:outline-style>\n");
}

static void page(at_odt *w, at_buf *b)
{
	at_buf_puts(b, "<office:automatic-styles><style:page-layout "
		       "style:name=\"A4\"><style:page-layout-properties "
		       "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" "
		       "style:print-orientation=\"portrait\" "
		       "fo:margin-top=\"1.5cm\" fo:margin-bottom=\"1.5cm\" "
		       "fo:margin-left=\"2cm\" fo:margin-right=\"2cm\"/>"
		       "<style:header-style><style:header-footer-properties "
		       "fo:min-height=\"0cm\" fo:margin-bottom=\"0.4cm\"/>"
		       "</style:header-style><style:footer-style>"
		       "<style:header-footer-properties fo:min-height=\"0cm\" "
		       "fo:margin-top=\"0.4cm\"/></style:footer-style>"
		       "</style:page-layout></office:automatic-styles>\n"
		       "<office:master-styles><style:master-page "
		       "style:name=\"Standard\" style:page-layout-name=\"A4\">"
		       "<style:header><text:p text:style-name=\"Header\">");
	at_buf_clear(&w->tmp);
	if (at_md_plain_inline(&w->tmp, w->s->title) ||
	    at_xml_escape(b, &w->xt, at_buf_cstr(&w->tmp), w->tmp.len))
		b->oom = 1;
	at_buf_puts(b, "</text:p></style:header><style:footer><text:p "
		       "text:style-name=\"Footer\"><text:page-number "
		       "text:select-page=\"current\">1</text:page-number> / "
		       "<text:page-count>1</text:page-count></text:p>"
		       "</style:footer></style:master-page>\n<style:master-page "
		       "style:name=\"First_20_Page\" style:display-name=\"First "
		       "Page\" style:page-layout-name=\"A4\" "
		       "style:next-style-name=\"Standard\"/>\n"
		       "</office:master-styles>\n");
}

void at_odt_styles(at_odt *w, at_buf *b)
{
	at_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<office:document-styles " NS ">\n" FONTS "<office:styles>\n");
	for (const char *const *s = named; *s; s++)
		at_buf_puts(b, *s);
	list_style(b, "List_20_Bullet", "List Bullet", 0);
	list_style(b, "Numbering_20_123", "Numbering 123", 1);
	outline_style(b);
	at_buf_puts(b, "</office:styles>\n");
	page(w, b);
	at_buf_puts(b, "</office:document-styles>\n");
}

/* Tables: "Grid" draws its cells (the rotation plan, participants, a
 * text's tables), "Sheet" lays a group's sections out as its grid says,
 * each in a light box. Columns share the width equally. */
static const char automatic[] =
	"<office:automatic-styles>\n"
	"<style:style style:name=\"Grid\" style:family=\"table\">"
	"<style:table-properties style:width=\"17cm\" table:align=\"margins\" "
	"fo:margin-top=\"0.1cm\" fo:margin-bottom=\"0.3cm\"/></style:style>\n"
	"<style:style style:name=\"GridColumn\" style:family=\"table-column\">"
	"<style:table-column-properties style:rel-column-width=\"1000*\"/>"
	"</style:style>\n"
	"<style:style style:name=\"GridCell\" style:family=\"table-cell\">"
	"<style:table-cell-properties fo:padding=\"0.08cm\" "
	"fo:border=\"0.5pt solid #999999\"/></style:style>\n"
	"<style:style style:name=\"Sheet\" style:family=\"table\">"
	"<style:table-properties style:width=\"17cm\" table:align=\"margins\" "
	"fo:margin-top=\"0.1cm\" fo:margin-bottom=\"0.2cm\"/></style:style>\n"
	"<style:style style:name=\"SheetCell\" style:family=\"table-cell\">"
	"<style:table-cell-properties fo:padding=\"0.15cm\" "
	"fo:border=\"0.5pt solid #c8ccd2\"/></style:style>\n"
	"<style:style style:name=\"FigureFrame\" style:family=\"graphic\" "
	"style:parent-style-name=\"Graphics\"><style:graphic-properties "
	"style:wrap=\"none\" style:vertical-pos=\"top\" "
	"style:vertical-rel=\"paragraph\" style:horizontal-pos=\"left\" "
	"style:horizontal-rel=\"paragraph-content\" fo:margin-bottom="
	"\"0.15cm\" fo:border=\"none\"/></style:style>\n"
	"<style:style style:name=\"FirstPage\" style:family=\"paragraph\" "
	"style:parent-style-name=\"Organiser\" "
	"style:master-page-name=\"First_20_Page\"/>\n"
	"<style:style style:name=\"FirstPageKicker\" style:family=\"paragraph\" "
	"style:parent-style-name=\"Kicker\" "
	"style:master-page-name=\"First_20_Page\"/>\n"
	"</office:automatic-styles>\n";

void at_odt_content_open(at_odt *w)
{
	at_odt_puts(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<office:document-content " NS ">\n" FONTS);
	at_odt_puts(w, automatic);
	at_odt_puts(w, "<office:body><office:text>\n");
}

void at_odt_content_close(at_odt *w)
{
	at_odt_puts(w, "</office:text></office:body></office:document-content>\n");
}
