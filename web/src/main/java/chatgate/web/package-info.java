/** chatgate web adapter (chat pages in HTML, XHTML-MP and WML; SSE; /sim/). */
package chatgate.web;
