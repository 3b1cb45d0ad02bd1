/**
 * Linux notification servers read the body as markup (the freedesktop spec's subset of HTML), so
 * a key such as `<a href=…>Sign in</a>.jpg` would become a link. There the text is escaped;
 * macOS and Windows show text as it is, and would show the entities literally.
 */
export function notificationBody(text: string, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
