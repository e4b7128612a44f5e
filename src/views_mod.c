/* views_mod.c: the moderators' pages, written through html.h */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "http.h"
#include "store.h"
#include "views.h"

void
view_login(struct req *rq, struct buf *b, const char *csrf, const char *msg,
    const char *name)
{
	view_page_open(rq, b, "Moderator login");
	html_raw(b, "<section class=\"login\">\n<h1>Moderator login</h1>\n");
	if (msg != NULL) {
		html_raw(b, "<p class=\"form-error\" role=\"alert\" "
		    "id=\"login-error\">");
		html_text(b, msg);
		html_raw(b, "</p>\n");
	}
	html_raw(b, "<form method=\"post\" action=\"");
	view_url(rq, b, "/mod/login");
	html_raw(b, "\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(b, csrf);
	html_raw(b, "\">\n<p><label for=\"login-name\">Name</label>\n"
	    "<input id=\"login-name\" name=\"name\" autocomplete=\"username\" "
	    "required value=\"");
	if (name != NULL)
		html_attr(b, name);
	html_raw(b, "\"></p>\n<p><label for=\"login-password\">Password</label>"
	    "\n<input id=\"login-password\" name=\"password\" type=\"password\" "
	    "autocomplete=\"current-password\" required></p>\n"
	    "<p><button type=\"submit\">Log in</button></p>\n</form>\n"
	    "</section>\n");
	view_page_close(b);
}
