/**
 * S3's rules for general purpose bucket names, each broken one explained, so the user can fix
 * the name before the store answers a bare "InvalidBucketName".
 */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`it has ${name.length} characters; a bucket name has 3 to 63`);
  }
  const wrong = [...new Set(name.replace(/[a-z0-9.-]/g, ''))];
  if (wrong.length > 0) {
    const upper = wrong.some((c) => /[A-Z]/.test(c));
    problems.push(
      `it contains ${wrong.map((c) => (c === ' ' ? 'a space' : `"${c}"`)).join(', ')}: only lowercase letters, digits, hyphens and dots are allowed${upper ? ' (no capitals)' : ''}`,
    );
  }
  if (name.length > 0 && !/^[a-z0-9]/.test(name)) {
    problems.push('it must start with a lowercase letter or a digit');
  }
  if (name.length > 0 && !/[a-z0-9]$/.test(name)) {
    problems.push('it must end with a lowercase letter or a digit');
  }
  if (name.includes('..')) problems.push('it has two dots in a row');
  if (/\.-|-\./.test(name)) problems.push('a dot may not be next to a hyphen');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    problems.push('it looks like an IP address (such as 192.168.5.4), which is not allowed');
  }
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) problems.push(`it starts with "${prefix}", which S3 reserves`);
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) problems.push(`it ends with "${suffix}", which S3 reserves`);
  }
  return problems;
}
