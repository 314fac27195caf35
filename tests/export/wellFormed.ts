/**
 * A small XML well-formedness check for tests (no DOMParser in node): every tag closes in order,
 * attribute values are quoted, and text holds no raw "<" or an "&" that does not start an entity.
 * Returns the list of problems, empty when the document is well-formed.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let last = 0;
  for (let match = token.exec(xml); match; match = token.exec(xml)) {
    checkText(xml.slice(last, match.index), problems);
    last = token.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (!name) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? "nothing"}>`);
    } else if (!selfClosing) stack.push(name);
  }
  checkText(xml.slice(last), problems);
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(", ")}`);
  return problems;
}

function checkText(text: string, problems: string[]) {
  if (text.includes("<")) problems.push(`raw "<" or malformed tag near ${JSON.stringify(text.slice(text.indexOf("<"), text.indexOf("<") + 30))}`);
  const amp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/.exec(text);
  if (amp) problems.push(`raw "&" near ${JSON.stringify(text.slice(amp.index, amp.index + 20))}`);
}
