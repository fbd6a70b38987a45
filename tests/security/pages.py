"""The forms of a page, read from its HTML with the standard library's parser: what a browser would send."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    tag: str  # input, textarea, select
    type: str  # the input's type; "textarea" or "select" for those
    attrs: dict[str, str]
    value: str = ""
    options: list[str] = field(default_factory=list)

    @property
    def is_free_text(self) -> bool:
        """Text a person types in words (not a number, a date, a choice, an address or a secret)."""
        if self.tag == "textarea":
            return True
        numeric = self.attrs.get("inputmode") in ("numeric", "decimal")
        return self.type == "text" and not numeric and self.attrs.get("placeholder") != "dd/mm/yyyy"


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    data: dict[str, list[str]] = field(default_factory=dict)  # what submitting it unchanged sends
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons: (name, value)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: Field | None = None
        self._select: Field | None = None

    @property
    def _form(self) -> Form | None:
        return self.forms[-1] if self.forms else None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attr_list}
        if tag == "form":
            self.forms.append(Form(action=attrs.get("action", ""), method=attrs.get("method", "get").upper()))
            return
        form, name = self._form, attrs.get("name")
        if form is None:
            return
        if tag == "button" or (tag == "input" and attrs.get("type") in ("submit", "image")):
            if name:
                form.buttons.append((name, attrs.get("value", "")))
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "file":
                return
            field_ = Field(name, tag, kind, attrs, attrs.get("value", ""))
            form.fields.append(field_)
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                if "disabled" not in attrs:
                    form.data.setdefault(name, []).append(field_.value or ("on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = Field(name, tag, "textarea", attrs)
            form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, tag, "select", attrs)
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            if value is not None:
                self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value or ""
                form.data.setdefault(self._select.name, []).append(value or "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "textarea" and self._textarea is not None and form is not None:
            # A browser drops the one line break that follows <textarea>.
            value = self._textarea.value.removeprefix("\n")
            self._textarea.value = value
            if "disabled" not in self._textarea.attrs:
                form.data[self._textarea.name] = [value]
            self._textarea = None
        elif tag == "select" and self._select is not None and form is not None:
            select = self._select
            if select.name not in form.data and select.options and "multiple" not in select.attrs:
                select.value = select.options[0]
                if "disabled" not in select.attrs:
                    form.data[select.name] = [select.options[0]]
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms
