/* docx_parts.c: the parts of the DOCX package around the body: content
 * types, relationships, the styles (real ones, with the built-in names
 * Word and LibreOffice know, headings carrying their outline level so
 * that the navigation pane and the word processor's own table of
 * contents work), the list definitions, the page footer, the settings and
 * the document properties (title, organiser as author, subject,
 * keywords, dates from the options' timestamp). */
#include "docx_out.h"
#include "xml_out.h"

#include <string.h>
#include <time.h>

#include "text.h"

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define R_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define OD_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define WML_CT "application/vnd.openxmlformats-officedocument.wordprocessingml."

static const char content_types[] = XML_HEAD
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Default Extension=\"png\" ContentType=\"image/png\"/>"
	"<Default Extension=\"jpg\" ContentType=\"image/jpeg\"/>"
	"<Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/>"
	"<Default Extension=\"svg\" ContentType=\"image/svg+xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"" WML_CT "document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"" WML_CT "styles+xml\"/>"
	"<Override PartName=\"/word/numbering.xml\" ContentType=\"" WML_CT "numbering+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"" WML_CT "settings+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"" WML_CT "footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>\n";

static const char package_rels[] = XML_HEAD
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" OD_REL "officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" OD_REL "extended-properties\" Target=\"docProps/app.xml\"/>"
	"</Relationships>\n";

/* rId1 to rId4; the body's own start at rId10 (dx_init). */
static const char document_rels_head[] = XML_HEAD
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\n"
	"<Relationship Id=\"rId1\" Type=\"" OD_REL "styles\" Target=\"styles.xml\"/>\n"
	"<Relationship Id=\"rId2\" Type=\"" OD_REL "numbering\" Target=\"numbering.xml\"/>\n"
	"<Relationship Id=\"rId3\" Type=\"" OD_REL "settings\" Target=\"settings.xml\"/>\n"
	"<Relationship Id=\"rId4\" Type=\"" OD_REL "footer\" Target=\"footer1.xml\"/>\n";

static const char settings[] = XML_HEAD
	"<w:settings " W_NS "><w:defaultTabStop w:val=\"709\"/>"
	"<w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat>"
	"<w:compatSetting w:name=\"compatibilityMode\" "
	"w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>"
	"</w:compat></w:settings>\n";

/* "n / N" at the foot of every page but the first (w:titlePg). */
#define FIELD(f) "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>" \
	"<w:r><w:instrText xml:space=\"preserve\"> " f " </w:instrText></w:r>" \
	"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>" \
	"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
static const char footer[] = XML_HEAD
	"<w:ftr " W_NS " " R_NS "><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>"
	FIELD("PAGE") "<w:r><w:t xml:space=\"preserve\"> / </w:t></w:r>"
	FIELD("NUMPAGES") "</w:p></w:ftr>\n";

static const char document_head[] = XML_HEAD
	"<w:document " W_NS " " R_NS
	" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
	" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
	" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""
	" xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\">"
	"<w:body>\n";

#define STR2(n) #n
#define STR(n) STR2(n)
static const char document_tail[] =
	"<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>"
	"<w:pgSz w:w=\"" STR(DX_PAGE_W) "\" w:h=\"" STR(DX_PAGE_H) "\"/>"
	"<w:pgMar w:top=\"" STR(DX_MARGIN) "\" w:right=\"" STR(DX_MARGIN)
	"\" w:bottom=\"" STR(DX_MARGIN) "\" w:left=\"" STR(DX_MARGIN)
	"\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
	"<w:titlePg/></w:sectPr></w:body></w:document>\n";

/* ---- styles ---- */

/* A paragraph style; prio: Word's uiPriority, or "" (the schema puts it
 * before qFormat, and Word refuses a style out of that order). */
#define PRIO_STYLE(id, name, prio, extra) "<w:style w:type=\"paragraph\" " \
	"w:styleId=\"" id "\"><w:name w:val=\"" name "\"/><w:basedOn " \
	"w:val=\"Normal\"/><w:next w:val=\"Normal\"/>" prio "<w:qFormat/>" \
	extra "</w:style>\n"
#define PSTYLE(id, name, extra) PRIO_STYLE(id, name, "", extra)
#define HEADING(n, lvl, size, before) PRIO_STYLE("Heading" #n, "heading " #n, \
	"<w:uiPriority w:val=\"9\"/>", "<w:pPr><w:keepNext/><w:keepLines/>" \
	"<w:spacing w:before=\"" #before "\" w:after=\"80\"/>" \
	"<w:outlineLvl w:val=\"" #lvl "\"/></w:pPr><w:rPr><w:b/>" \
	"<w:color w:val=\"1F3A5F\"/><w:sz w:val=\"" #size "\"/></w:rPr>")

static const char *const styles[] = {
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
	"<w:name w:val=\"Normal\"/><w:qFormat/></w:style>\n",
	"<w:style w:type=\"character\" w:default=\"1\" "
	"w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph "
	"Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\n",
	PSTYLE("Title", "Title", "<w:pPr><w:keepNext/><w:spacing w:before=\"0\" "
	       "w:after=\"160\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3A5F\"/>"
	       "<w:sz w:val=\"44\"/></w:rPr>"),
	PSTYLE("Subtitle", "Subtitle", "<w:pPr><w:spacing w:after=\"160\"/>"
	       "</w:pPr><w:rPr><w:i/><w:color w:val=\"555555\"/><w:sz "
	       "w:val=\"26\"/></w:rPr>"),
	PSTYLE("Kicker", "Kicker", "<w:pPr><w:keepNext/><w:spacing w:after=\"40\"/>"
	       "</w:pPr><w:rPr><w:b/><w:caps/><w:color w:val=\"666666\"/>"
	       "<w:sz w:val=\"18\"/></w:rPr>"),
	PSTYLE("Meta", "Meta", "<w:rPr><w:color w:val=\"555555\"/><w:sz "
	       "w:val=\"19\"/></w:rPr>"),
	PSTYLE("Colophon", "Colophon", "<w:pPr><w:spacing w:before=\"360\"/>"
	       "</w:pPr><w:rPr><w:i/><w:color w:val=\"666666\"/><w:sz "
	       "w:val=\"17\"/></w:rPr>"),
	/* Heading n at outline level n - 1: Word's navigation pane, the
	 * table of contents (\\o) and LibreOffice's chapters read it. */
	HEADING(1, 0, 32, 360), HEADING(2, 1, 27, 280), HEADING(3, 2, 23, 220),
	HEADING(4, 3, 21, 180), HEADING(5, 4, 21, 160), HEADING(6, 5, 21, 160),
	PRIO_STYLE("ListParagraph", "List Paragraph", "<w:uiPriority w:val=\"34\"/>",
	       "<w:pPr><w:spacing w:after=\"40\"/><w:ind w:left=\"" STR(DX_INDENT)
	       "\"/></w:pPr>"),
	PSTYLE("TOCHeading", "TOC Heading", "<w:pPr><w:keepNext/><w:spacing "
	       "w:before=\"240\" w:after=\"80\"/></w:pPr><w:rPr><w:b/><w:color "
	       "w:val=\"1F3A5F\"/><w:sz w:val=\"27\"/></w:rPr>"),
	PSTYLE("TOC1", "toc 1", "<w:pPr><w:spacing w:after=\"40\"/></w:pPr>"),
	PSTYLE("TOC2", "toc 2", "<w:pPr><w:spacing w:after=\"20\"/><w:ind "
	       "w:left=\"" STR(DX_INDENT) "\"/></w:pPr><w:rPr><w:sz w:val=\"19\"/>"
	       "</w:rPr>"),
	PSTYLE("Label", "Label", "<w:pPr><w:keepNext/><w:spacing w:before=\"120\" "
	       "w:after=\"40\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"444444\"/>"
	       "</w:rPr>"),
	/* In a group's sheet: no keep-with-next, which LibreOffice reads as
	 * the whole table's and then chains the groups of a question. */
	PSTYLE("SheetHead", "Sheet Head", "<w:pPr><w:spacing w:after=\"60\"/>"
	       "</w:pPr><w:rPr><w:b/><w:caps/><w:color w:val=\"666666\"/>"
	       "<w:sz w:val=\"17\"/></w:rPr>"),
	PSTYLE("SectionLabel", "Section Label", "<w:pPr><w:spacing "
	       "w:before=\"80\" w:after=\"40\"/></w:pPr><w:rPr><w:b/><w:color "
	       "w:val=\"444444\"/></w:rPr>"),
	PSTYLE("Figure", "Figure", "<w:pPr><w:spacing w:before=\"120\" "
	       "w:after=\"60\"/></w:pPr>"),
	PSTYLE("Caption", "caption", "<w:pPr><w:spacing w:after=\"200\"/></w:pPr>"
	       "<w:rPr><w:i/><w:color w:val=\"444444\"/><w:sz w:val=\"18\"/>"
	       "</w:rPr>"),
	PSTYLE("Quote", "Quote", "<w:pPr><w:ind w:left=\"567\"/></w:pPr><w:rPr>"
	       "<w:i/><w:color w:val=\"444444\"/></w:rPr>"),
	PSTYLE("Note", "Note", "<w:pPr><w:spacing w:after=\"40\"/></w:pPr><w:rPr>"
	       "<w:color w:val=\"444444\"/><w:sz w:val=\"19\"/></w:rPr>"),
	PSTYLE("CodeBlock", "Code Block", "<w:pPr><w:shd w:val=\"clear\" "
	       "w:color=\"auto\" w:fill=\"F2F2F2\"/><w:spacing w:after=\"120\" "
	       "w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:rFonts "
	       "w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier "
	       "New\"/><w:sz w:val=\"18\"/></w:rPr>"),
	PSTYLE("TableHead", "Table Head", "<w:pPr><w:spacing w:after=\"0\"/>"
	       "</w:pPr><w:rPr><w:b/></w:rPr>"),
	PSTYLE("TableText", "Table Text", "<w:pPr><w:spacing w:after=\"0\"/>"
	       "</w:pPr>"),
	PSTYLE("Footer", "footer", "<w:pPr><w:jc w:val=\"center\"/></w:pPr>"
	       "<w:rPr><w:color w:val=\"666666\"/><w:sz w:val=\"18\"/></w:rPr>"),
	"<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name "
	"w:val=\"Hyperlink\"/><w:basedOn w:val=\"DefaultParagraphFont\"/>"
	"<w:rPr><w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/></w:rPr>"
	"</w:style>\n",
	"<w:style w:type=\"character\" w:styleId=\"Facts\"><w:name "
	"w:val=\"Facts\"/><w:basedOn w:val=\"DefaultParagraphFont\"/>"
	"<w:qFormat/><w:rPr><w:color w:val=\"666666\"/><w:sz w:val=\"18\"/>"
	"</w:rPr></w:style>\n",
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
	"<w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd "
	"w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" "
	"w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom "
	"w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
	"</w:tblCellMar></w:tblPr></w:style>\n",
	"<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table "
	"Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:pPr><w:spacing "
	"w:after=\"0\"/></w:pPr><w:tblPr><w:tblBorders>"
	"<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFBFBF\"/>"
	"<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFBFBF\"/>"
	"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFBFBF\"/>"
	"<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFBFBF\"/>"
	"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFBFBF\"/>"
	"<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFBFBF\"/>"
	"</w:tblBorders><w:tblCellMar><w:top w:w=\"57\" w:type=\"dxa\"/>"
	"<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"57\" "
	"w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar>"
	"</w:tblPr></w:style>\n",
	NULL};

static void styles_xml(dx *x, at_buf *b)
{
	at_buf_puts(b, XML_HEAD "<w:styles " W_NS "><w:docDefaults><w:rPrDefault>"
		       "<w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" "
		       "w:eastAsia=\"Arial\" w:cs=\"Arial\"/><w:sz w:val=\"21\"/>"
		       "<w:szCs w:val=\"21\"/>");
	at_buf_printf(b, "<w:lang w:val=\"%s\"/>",
		      x->s->lang == AT_LANG_FR ? "fr-FR" : "en-GB");
	at_buf_puts(b, "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing "
		       "w:after=\"100\" w:line=\"264\" w:lineRule=\"auto\"/>"
		       "</w:pPr></w:pPrDefault></w:docDefaults>\n");
	for (const char *const *s = styles; *s; s++)
		at_buf_puts(b, *s);
	at_buf_puts(b, "</w:styles>\n");
}

/* ---- lists: abstract 0 the bullets, 1 the ordered lists ---- */

static void levels(at_buf *b, int ordered)
{
	for (int l = 0; l <= DX_MAX_ILVL; l++) {
		at_buf_printf(b, "<w:lvl w:ilvl=\"%d\"><w:start w:val=\"1\"/>", l);
		if (ordered)
			at_buf_printf(b, "<w:numFmt w:val=\"decimal\"/>"
					 "<w:lvlText w:val=\"%%%d.\"/>",
				      l + 1);
		else
			at_buf_printf(b, "<w:numFmt w:val=\"bullet\"/>"
					 "<w:lvlText w:val=\"%s\"/>",
				      l % 2 ? "\xe2\x80\x93" : "\xe2\x80\xa2");
		at_buf_printf(b, "<w:lvlJc w:val=\"left\"/><w:pPr><w:ind "
				 "w:left=\"%d\" w:hanging=\"%d\"/></w:pPr></w:lvl>",
			      DX_INDENT * (l + 1), DX_INDENT);
	}
}

static void numbering_xml(dx *x, at_buf *b)
{
	at_buf_puts(b, XML_HEAD "<w:numbering " W_NS ">\n");
	for (int a = 0; a < 2; a++) {
		at_buf_printf(b, "<w:abstractNum w:abstractNumId=\"%d\">"
				 "<w:multiLevelType w:val=\"hybridMultilevel\"/>",
			      a);
		levels(b, a);
		at_buf_puts(b, "</w:abstractNum>\n");
	}
	at_buf_printf(b, "<w:num w:numId=\"%d\"><w:abstractNumId w:val=\"0\"/>"
			 "</w:num>\n",
		      DX_NUM_BULLET);
	at_buf_put(b, x->nums.s ? x->nums.s : "", x->nums.len);
	at_buf_puts(b, "</w:numbering>\n");
}

/* ---- properties ---- */

/* "2016-06-30T00:00:00Z": W3CDTF, as dcterms wants it. */
static void w3cdtf(at_buf *b, long long t)
{
	char when[32];
	at_xml_datetime(t < 0 ? 0 : t, when, sizeof when);
	at_buf_printf(b, "%sZ", when);
}

static void element(dx *x, at_buf *b, const char *tag, const char *text)
{
	if (!text || !*text)
		return;
	at_buf_printf(b, "<%s>", tag);
	dx_escape_value(x, b, text);
	at_buf_printf(b, "</%s>", tag);
}

/* What the document is about: "Compte-rendu · Atelier du 30 juin 2016 ·
 * Moulins", the words of the title block. */
static void subject(dx *x, at_buf *b)
{
	char date[64];
	at_format_date(x->l, &x->s->date, date, sizeof date);
	at_buf_puts(b, x->l->report);
	at_buf_puts(b, x->l->sep);
	at_buf_puts(b, x->l->workshop_of);
	at_buf_puts(b, x->l->space);
	at_buf_puts(b, date);
	if (x->s->place) {
		at_buf_puts(b, x->l->sep);
		at_buf_puts(b, x->s->place);
	}
}

/* ---- keywords ---- */

#define KEYWORDS_MAX 32

typedef struct tags {
	const char *v[KEYWORDS_MAX];
	size_t n;
} tags;

static int collect_tags(const at_contribution *c, void *ctx)
{
	tags *t = ctx;
	const at_strs *ts = &c->item->tags;
	for (size_t i = 0; i < ts->n && t->n < KEYWORDS_MAX; i++) {
		size_t k = 0;
		while (k < t->n && strcmp(t->v[k], ts->v[i].s) != 0)
			k++;
		if (k == t->n)
			t->v[t->n++] = ts->v[i].s;
	}
	return t->n == KEYWORDS_MAX;
}

/* The keywords: the items' tags, the first KEYWORDS_MAX in the order
 * they come; without any, what the document is. */
static void keywords(dx *x, at_buf *out)
{
	tags t = {.n = 0};
	at_session_walk(x->s, collect_tags, &t);
	for (size_t i = 0; i < t.n; i++) {
		if (i)
			at_buf_puts(out, x->l->list_sep);
		at_buf_puts(out, t.v[i]);
	}
	if (!t.n)
		at_buf_puts(out, x->l->report);
}

static void core_xml(dx *x, at_buf *b, const char *keywords)
{
	at_buf_puts(b, XML_HEAD "<cp:coreProperties xmlns:cp=\"http://schemas."
		       "openxmlformats.org/package/2006/metadata/core-properties\" "
		       "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		       "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
	at_buf text;
	at_buf_init(&text);
	if (at_md_plain_inline(&text, x->s->title))
		dx_fail(x, AT_ENOMEM);
	element(x, b, "dc:title", at_buf_cstr(&text));
	at_buf_clear(&text);
	subject(x, &text);
	element(x, b, "dc:subject", at_buf_cstr(&text));
	element(x, b, "dc:creator", x->s->organiser);
	element(x, b, "cp:keywords", keywords);
	element(x, b, "dc:language", x->l->lang);
	for (int i = 0; i < 2; i++) {
		at_buf_puts(b, i ? "<dcterms:modified" : "<dcterms:created");
		at_buf_puts(b, " xsi:type=\"dcterms:W3CDTF\">");
		w3cdtf(b, x->o->timestamp);
		at_buf_puts(b, i ? "</dcterms:modified>" : "</dcterms:created>");
	}
	at_buf_puts(b, "</cp:coreProperties>\n");
	if (text.oom)
		dx_fail(x, AT_ENOMEM);
	at_buf_free(&text);
}

static const char app[] = XML_HEAD
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/"
	"2006/extended-properties\"><Application>atelier</Application>"
	"<DocSecurity>0</DocSecurity></Properties>\n";

/* ---- the package ---- */

static void add(dx *x, const char *name, const char *data, size_t len)
{
	at_status st = at_zip_add(x->zip, name, data ? data : "", len, 0);
	if (st != AT_OK)
		dx_fail(x, st);
}

static void add_s(dx *x, const char *name, const char *data)
{
	add(x, name, data, strlen(data));
}

at_status dx_add_head(dx *x)
{
	add_s(x, "[Content_Types].xml", content_types);
	add_s(x, "_rels/.rels", package_rels);
	dx_puts(x, document_head);
	return x->status;
}

at_status dx_add_parts(dx *x)
{
	dx_puts(x, document_tail);
	if (x->doc.oom)
		dx_fail(x, AT_ENOMEM);
	add(x, "word/document.xml", x->doc.s, x->doc.len);
	at_buf b;
	at_buf_init(&b);
	styles_xml(x, &b);
	add(x, "word/styles.xml", b.s, b.len);
	at_buf_clear(&b);
	numbering_xml(x, &b);
	add(x, "word/numbering.xml", b.s, b.len);
	add_s(x, "word/settings.xml", settings);
	add_s(x, "word/footer1.xml", footer);
	at_buf_clear(&b);
	at_buf_puts(&b, document_rels_head);
	at_buf_put(&b, x->rels.s ? x->rels.s : "", x->rels.len);
	at_buf_puts(&b, "</Relationships>\n");
	add(x, "word/_rels/document.xml.rels", b.s, b.len);
	at_buf_clear(&b);
	at_buf kw;
	at_buf_init(&kw);
	keywords(x, &kw);
	core_xml(x, &b, at_buf_cstr(&kw));
	if (kw.oom)
		dx_fail(x, AT_ENOMEM);
	at_buf_free(&kw);
	add(x, "docProps/core.xml", b.s, b.len);
	add_s(x, "docProps/app.xml", app);
	if (b.oom)
		dx_fail(x, AT_ENOMEM);
	at_buf_free(&b);
	return x->status;
}
