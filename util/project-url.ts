/**
 * The project's public home, defined once: package.json's repository/homepage/bugs, the JSON
 * Schemas' $id, SARIF's informationUri and every documentation link in findings derive from it.
 * (A test keeps package.json in step with these constants.)
 */
export const PROJECT_URL = "https://github.com/tollgate-dev/tollgate";

/** Where released files are browsable; docs links point at the default branch. */
export const DOCS_BASE_URL = `${PROJECT_URL}/blob/main/docs`;

/** A link to a documentation page, optionally to one heading (GitHub's anchor rules: lower case, dashes). */
export function docsUrl(page: string, anchor?: string): string {
  return `${DOCS_BASE_URL}/${page}${anchor ? `#${anchor.toLowerCase().replace(/[^a-z0-9_ -]/g, "").replace(/ /g, "-")}` : ""}`;
}
