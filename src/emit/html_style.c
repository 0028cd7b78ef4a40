/* html_style.c: the style sheet inlined in every HTML compte-rendu.
 *
 * The page must stand alone (no font, no script, no external file), read
 * calmly on a screen of any width and print on A4. Hence: the system's own
 * fonts, prose kept to a readable measure, the side-by-side layouts of the
 * paper original as CSS grids that fall back to one column on a narrow
 * screen, drivers and brakes told apart by a sign as well as a colour, and
 * a print sheet that numbers the pages and cuts no short block. Kept to ASCII
 * (CSS escapes for the few symbols) so the C source stays plain; one
 * string per rule, as C limits the length of one string literal. */
#include "html_out.h"

const char *const at_html_style[] = {
	":root{color-scheme:light;--ink:#1d232a;--muted:#545d68;"
	"--rule:#d5dce3;--soft:#f4f6f8;--accent:#1f4e79;--accent-soft:#eef3f9;"
	"--driver:#1b6e31;--driver-soft:#ecf6ee;--brake:#a8430a;"
	"--brake-soft:#fcf1e8}\n",
	"*,*::before,*::after{box-sizing:border-box}\n",
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n",
	"body{margin:0;background:#fff;color:var(--ink);"
	"font:1rem/1.6 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Noto Sans\",\"Liberation Sans\",Arial,sans-serif}\n",
	".page{max-width:76rem;margin:0 auto;"
	"padding:2.5rem clamp(1rem,4vw,3rem) 3rem}\n",
	"p,li,figcaption,.prose{max-width:72ch}\n",
	"h1,h2,h3,h4,h5{line-height:1.25;font-weight:650}\n",
	"h1{font-size:clamp(1.55rem,3.2vw,2.25rem);margin:.4rem 0 .9rem;"
	"letter-spacing:-.01em;max-width:40ch}\n",
	"h2{font-size:1.5rem;margin:3.5rem 0 1.2rem;padding-bottom:.4rem;"
	"border-bottom:2px solid var(--accent)}\n",
	"h3{font-size:1.2rem;margin:2.4rem 0 .8rem}\n",
	"h4{font-size:1.05rem;margin:1.6rem 0 .5rem}\n",
	"h5{font-size:.95rem;margin:1rem 0 .4rem}\n",
	"a{color:var(--accent);text-underline-offset:2px}\n",
	/* a link cmark neutralised (javascript:) is plain text */
	"a:not([href]){color:inherit;text-decoration:none}\n",
	"strong{font-weight:650}\n",
	/* the title block */
	".masthead{border-bottom:1px solid var(--rule);padding-bottom:1.4rem}\n",
	".organiser{margin:0;color:var(--muted);letter-spacing:.02em}\n",
	".kicker{margin:1.6rem 0 0;font-size:.8rem;font-weight:700;"
	"letter-spacing:.14em;text-transform:uppercase;color:var(--accent)}\n",
	".subtitle{font-size:1.15rem;color:var(--muted);margin:0 0 .8rem}\n",
	".when{margin:.2rem 0;font-size:1.05rem}\n",
	".facilitators{margin:.2rem 0;color:var(--muted)}\n",
	/* the table of contents */
	".toc{background:var(--soft);border:1px solid var(--rule);"
	"border-radius:8px;padding:1rem 1.5rem 1.1rem;margin:2rem 0;"
	"max-width:52rem}\n",
	".toc h2{font-size:.8rem;margin:0 0 .5rem;padding:0;border:0;"
	"text-transform:uppercase;letter-spacing:.12em;color:var(--muted)}\n",
	/* the parts' numbers are in their titles */
	".toc ol{margin:0;padding-left:0;list-style:none}\n",
	".toc li{margin:.15rem 0}\n",
	".toc ol ol{list-style:none;padding:0;display:flex;flex-wrap:wrap;"
	"gap:0 1.2rem;font-size:.9rem}\n",
	".label{margin:0 0 .2rem;font-size:.78rem;font-weight:700;"
	"letter-spacing:.1em;text-transform:uppercase;color:var(--accent)}\n",
	".meta{color:var(--muted);font-size:.84em}\n",
	"li>.meta,.qtitle+.meta{margin-left:.5em}\n",
	/* questions, method */
	".question{border-left:4px solid var(--accent);padding:.1rem 0 .1rem 1rem;"
	"margin:1.4rem 0}\n",
	".question h4{margin-top:0;max-width:60rem}\n",
	".qnum{display:block;font-size:.78rem;font-weight:700;"
	"letter-spacing:.1em;text-transform:uppercase;color:var(--accent)}\n",
	".phases{padding-left:1.4rem}\n",
	".phases>li{margin:.8rem 0}\n",
	".phases>li>p{margin:.2rem 0}\n",
	".phase-head .meta{margin-left:.6em}\n",
	/* lists of contributions: nesting shown by the marker as on paper */
	"ul.items{padding-left:1.3rem;margin:.4rem 0}\n",
	"ul.items li{margin:.3rem 0}\n",
	"ul.items ul.items{list-style-type:\"\\2192\\00a0\";padding-left:1.3rem}\n",
	"ul.items ul.items ul.items{list-style-type:\"\\00bb\\00a0\"}\n",
	"ul.items ul.items ul.items ul.items{list-style-type:circle}\n",
	"ul.items li::marker{color:var(--muted)}\n",
	"ul.items li.fig{list-style:none}\n",
	"ul.items li.fig::marker{content:none}\n",
	".note{font-size:.9em;color:var(--muted);border-left:2px solid var(--rule);"
	"padding-left:.7rem;margin:.3rem 0}\n",
	".note p{margin:.2rem 0}\n",
	".prompts{padding-left:1.3rem}\n",
	/* the brainstorm: one column per question */
	".columns{display:grid;grid-auto-flow:column;"
	"grid-auto-columns:minmax(0,1fr);gap:1.5rem;align-items:start}\n",
	".column{background:var(--soft);border:1px solid var(--rule);"
	"border-radius:8px;padding:1rem 1.25rem}\n",
	".column h3{margin:0;font-size:.8rem;text-transform:uppercase;"
	"letter-spacing:.12em;color:var(--accent)}\n",
	".qtitle{font-weight:650;margin:.3rem 0 .8rem}\n",
	/* sub-group work: practices beside the conditions for change */
	".brief{background:var(--accent-soft);border-left:4px solid var(--accent);"
	"border-radius:0 6px 6px 0;padding:.7rem 1rem;margin:1rem 0 1.4rem;"
	"max-width:80ch}\n",
	".brief p{margin:.2rem 0}\n",
	".group{border:1px solid var(--rule);border-radius:8px;"
	"padding:0 1.25rem 1rem;margin:1.25rem 0}\n",
	".group>h4{margin:0 -1.25rem;padding:.6rem 1.25rem;"
	"background:var(--soft);border-bottom:1px solid var(--rule);"
	"border-radius:8px 8px 0 0}\n",
	".group>h4 .theme{font-weight:400;color:var(--muted)}\n",
	".group>.meta{margin:.5rem 0 0}\n",
	".sheet{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);"
	"gap:0 2rem}\n",
	".sheet.single{grid-template-columns:minmax(0,1fr)}\n",
	/* a declared grid: 2 or 4 sections in two columns (.two, .square),
	 * 3 or 5 and more as many as fit */
	".sheet.flow{grid-template-columns:"
	"repeat(auto-fit,minmax(min(100%,16rem),1fr))}\n",
	".colhead{margin:1rem 0 0;font-size:.78rem;font-weight:700;"
	"letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}\n",
	".sec h5{display:flex;align-items:center;gap:.45em}\n",
	".force-driver,.force-brake{border-radius:6px;padding:.1rem .9rem .5rem;"
	"margin:.9rem 0}\n",
	".force-driver{background:var(--driver-soft)}\n",
	".force-brake{background:var(--brake-soft)}\n",
	".force-driver>h5{color:var(--driver)}\n",
	".force-brake>h5{color:var(--brake)}\n",
	".force-driver>h5::before,.force-brake>h5::before{flex:none;"
	"display:inline-block;width:1.35em;height:1.35em;line-height:1.35em;"
	"border-radius:50%;text-align:center;color:#fff;font-weight:700}\n",
	".force-driver>h5::before{content:\"+\";background:var(--driver)}\n",
	".force-brake>h5::before{content:\"\\2212\";background:var(--brake)}\n",
	".force-driver>ul>li::marker{content:\"+\\00a0\";color:var(--driver);"
	"font-weight:700}\n",
	".force-brake>ul>li::marker{content:\"\\2212\\00a0\";"
	"color:var(--brake);font-weight:700}\n",
	/* the force field: per group, the drivers left of a dashed axis and
	 * the brakes right of it, each force's text wrapping above its arrow,
	 * whose length (--w, set per force) follows its weight */
	".ff{margin:1.5rem 0;border:1px solid var(--rule);border-radius:8px;"
	"padding:.8rem 1rem .4rem}\n",
	".ff figcaption{font-size:.88rem;color:var(--muted);margin:0 0 .6rem;"
	"max-width:none}\n",
	".ff figcaption strong{color:var(--ink)}\n",
	".ff-group{display:grid;grid-template-columns:minmax(0,1fr) "
	"minmax(0,1fr);margin:0 0 .8rem}\n",
	".ff-name{grid-column:1/-1;margin:0 0 .3rem;padding:.2rem .6rem;"
	"background:var(--soft);border-radius:4px;font-weight:650;"
	"max-width:none}\n",
	".ff-side{min-width:0;overflow-wrap:anywhere}\n",
	".ff-d{grid-column:1;padding-right:.6rem;"
	"border-right:2px dashed var(--muted)}\n",
	".ff-b{grid-column:2;padding-left:.6rem;"
	"border-left:2px dashed var(--muted)}\n",
	".ff-d+.ff-b{border-left:0}\n",
	".ff-head{margin:.2rem 0;font-size:.78rem;font-weight:700;"
	"letter-spacing:.08em;text-transform:uppercase}\n",
	".ff-d .ff-head{color:var(--driver)}\n",
	".ff-b .ff-head{color:var(--brake)}\n",
	".ff-d .ff-head::before{content:\"+\\00a0\"}\n",
	".ff-b .ff-head::before{content:\"\\2212\\00a0\"}\n",
	".ff-side ul{list-style:none;margin:0;padding:0}\n",
	".ff-side ul ul{padding-left:1.2rem}\n",
	".ff-side li{margin:.25rem 0;max-width:none}\n",
	".ff-force{display:block;font-size:.92rem;line-height:1.35}\n",
	".ff-force .meta{white-space:nowrap}\n",
	".ff-force::after{content:\"\";display:block;height:.8rem;"
	"margin:.15rem 0 .35rem;width:var(--w);min-width:1.2rem;"
	"-webkit-print-color-adjust:exact;print-color-adjust:exact}\n",
	".ff-d .ff-force::after{margin-left:auto;background:var(--driver);"
	"clip-path:polygon(0 30%,calc(100% - .7rem) 30%,calc(100% - .7rem) 0,"
	"100% 50%,calc(100% - .7rem) 100%,calc(100% - .7rem) 70%,0 70%)}\n",
	".ff-b .ff-force::after{margin-right:auto;background:var(--brake);"
	"clip-path:polygon(100% 30%,.7rem 30%,.7rem 0,0 50%,.7rem 100%,"
	".7rem 70%,100% 70%)}\n",
	/* figures, tables, kit, annex */
	".figure{margin:1rem 0}\n",
	".figure img{display:block;max-width:100%;height:auto;"
	"border:1px solid var(--rule);border-radius:4px}\n",
	".figure figcaption{font-size:.88rem;color:var(--muted);margin-top:.4rem}\n",
	"table{border-collapse:collapse;margin:1rem 0;font-size:.95rem}\n",
	"caption{text-align:left;font-weight:650;margin-bottom:.4rem}\n",
	"th,td{border:1px solid var(--rule);padding:.4rem .75rem;"
	"text-align:left;vertical-align:top}\n",
	"thead th{background:var(--soft)}\n",
	"td ul{margin:0;padding:0;list-style:none}\n",
	/* a pipe table pasted in a text: its columns' alignment kept, and on
	 * a phone it scrolls by itself rather than widening the page */
	"th[align=center],td[align=center]{text-align:center}\n",
	"th[align=right],td[align=right]{text-align:right}\n",
	".prose table{display:block;max-width:100%;overflow-x:auto}\n",
	".step{margin:1rem 0 1.5rem}\n",
	".step-head{margin:.2rem 0}\n",
	".expect{list-style:none;padding:0;margin:.3rem 0;font-size:.88rem;"
	"color:var(--muted)}\n",
	"footer{margin-top:4rem;padding-top:1rem;border-top:1px solid var(--rule);"
	"font-size:.85rem;color:var(--muted)}\n",
	/* a phone: one column everywhere */
	"@media screen and (max-width:48rem){"
	".columns{grid-auto-flow:row;grid-template-columns:minmax(0,1fr)}"
	".sheet{grid-template-columns:minmax(0,1fr)}"
	".ff-group{grid-template-columns:minmax(0,1fr)}"
	".ff-b{grid-column:1;margin-top:.4rem}"
	".ff-d+.ff-b{border-left:2px dashed var(--muted)}"
	".group{padding:0 .9rem .8rem}"
	".group>h4{margin:0 -.9rem;padding:.6rem .9rem}"
	"h2{margin-top:2.5rem}}\n",
	/* paper: A4; the title, the credit and "n / N" in the margins (their
	 * words in at_html_page_margins), the first page opening with the
	 * title. No forced break: headings keep with what follows them, short
	 * blocks are not cut, and an invisible block a third of a page tall,
	 * unbreakable, leads each part and pulls back by a negative margin: a
	 * part that would start in the last third of a page starts on the
	 * next one. The annex is not led so and asks for no break before it,
	 * to stay with what precedes it (Chromium grants that when the part
	 * before began on the same page). The footer's credit is in the
	 * margin, where it never takes a page of its own. */
	"@page{size:A4;margin:16mm 15mm 18mm;"
	"@top-center{font:7.5pt/1.3 system-ui,sans-serif;color:#545d68}"
	"@bottom-left{font:7.5pt/1.3 system-ui,sans-serif;color:#545d68}"
	"@bottom-right{content:counter(page) \" / \" counter(pages);"
	"font:7.5pt/1.3 system-ui,sans-serif;color:#545d68}}\n",
	"@page:first{@top-center{content:none}}\n",
	"@media print{"
	"html{font-size:9.5pt}body{line-height:1.35}"
	".page{max-width:none;padding:0}"
	".kicker{margin-top:.6rem}"
	".masthead{padding-bottom:.8rem}"
	".toc{margin:1.2rem 0;break-inside:avoid}"
	".toc a{text-decoration:none}"
	"footer{display:none}"
	".part::before{content:\"\";display:block;height:86mm;"
	"margin-bottom:-86mm;break-inside:avoid}"
	"#annex::before{content:none}"
	"#annex{break-before:avoid}"
	"h2{margin:1.6rem 0 .8rem}"
	"h3{margin:1.4rem 0 .5rem}"
	"h4{margin:1rem 0 .4rem}"
	"h5{margin:.7rem 0 .3rem}"
	"h2,h3,h4,h5,.label,.colhead,.qtitle,.group>.meta,caption,thead{"
	"break-after:avoid}"
	"h1,h2,h3,h4,h5{break-inside:avoid}"
	"tr,figure,.step,.question,.brief,.force-driver,.force-brake{"
	"break-inside:avoid}"
	"#method>p{break-after:avoid}"
	".question{margin:.9rem 0}"
	"ul.items{margin:.3rem 0}"
	"ul.items li{margin:.15rem 0}"
	".columns{gap:1rem}"
	".column{padding:.7rem .9rem}"
	".group{margin:.9rem 0}"
	".force-driver,.force-brake{margin:.6rem 0}"
	".step{margin:.6rem 0 .9rem}"
	"a{color:inherit}"
	"a[href^=\"http\"]::after{content:\" <\" attr(href) \">\";"
	"font-size:.85em;color:var(--muted);word-break:break-all}"
	".ff{margin:1rem 0;border:0;padding:0;break-inside:auto}"
	".ff figcaption{break-inside:avoid;break-after:avoid}"
	".ff-group{break-inside:avoid}"
	".ff-force::after{height:.6rem;margin:.1rem 0 .25rem}"
	".column,.group,.force-driver,.force-brake,.brief{"
	"-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"p,li{orphans:2;widows:2}}\n",
	NULL};

/* The words of the printed margins, after the sheet's @page rule: the
 * title (bounded, a long one would spill over the page) and the credit,
 * which the page's footer says on screen. */
void at_html_page_margins(at_html *h)
{
	at_html_puts(h, "@page{@top-center{content:");
	at_html_css_string(h, at_html_plain(h, h->s->title),
			   AT_HTML_MARGIN_TITLE_MAX);
	at_html_puts(h, "}@bottom-left{content:");
	at_html_css_labelf(h, h->l->generated, ATELIER_VERSION);
	at_html_puts(h, "}}\n");
}
