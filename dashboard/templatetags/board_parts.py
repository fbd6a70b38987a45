"""`{% board_part board "name" %}…{% endboard_part %}`: a part of the dashboard rendered once per board.

A warm national dashboard spent most of its CPU in the template: 3,000 variable
lookups, a few hundred ranking lines and the needs-attention lists, drawn again
on every request from a board that had not changed (bench/README.md, "Dashboard").
The board's key names everything such a part may show (plan, generation, day, role,
unit, language: `dashboard.selectors.cache_key`), so a part rendered from a board
is the same for every request that gets that board: it is kept on the board, in
this process's memory beside it (`dashboard_for` keeps the last boards read), and
goes with it.

What may go inside: the board, and context values that follow from its key (the
plan's and unit's ids and codes, whether the reader sees every unit, the page's
constants). What must stay outside: anything of the person reading (their plans,
their units, what their permissions let them see), the CSRF token, a CSP nonce.

A board built and not cached (`key` empty) renders its parts each time.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class BoardPartNode(template.Node):
    def __init__(self, nodelist: NodeList, board: FilterExpression, name: str) -> None:
        self.nodelist = nodelist
        self.board = board
        self.name = name

    def render(self, context: template.Context) -> SafeString:
        board = self.board.resolve(context)
        if not board.key:
            return mark_safe(self.nodelist.render(context))
        parts: dict[str, str] = board.parts
        html = parts.get(self.name)
        if html is None:
            # Two requests rendering the same part at once both store the same text: no lock needed.
            html = parts[self.name] = self.nodelist.render(context)
        return mark_safe(html)


@register.tag("board_part")
def board_part(parser: Parser, token: Token) -> BoardPartNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[2][0] not in "\"'" or bits[2][0] != bits[2][-1]:
        raise template.TemplateSyntaxError('Usage: {% board_part board "name" %}…{% endboard_part %}')
    nodelist = parser.parse(("endboard_part",))
    parser.delete_first_token()
    return BoardPartNode(nodelist, parser.compile_filter(bits[1]), bits[2][1:-1])
