import { translator, type Lang } from '../public/i18n';
import { Layout } from '../public/layout';
import type { OpenApiDocument } from './openapi';

// The readable API reference, rendered on the server from the same OpenAPI document
// that /api/openapi.json serves, so the two cannot drift apart.

type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function schemaText(schema: unknown): string {
  if (!isObj(schema)) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.replace('#/components/schemas/', '');
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return alternatives.map(schemaText).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : str(schema.type);
  if (type === 'array') return `${schemaText(schema.items)}[]`;
  if (Array.isArray(schema.enum)) return schema.enum.map((e) => (e === null ? 'null' : String(e))).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  return type || 'any';
}

function Properties(props: { schema: Obj }) {
  const properties = isObj(props.schema.properties) ? props.schema.properties : {};
  const required = new Set(Array.isArray(props.schema.required) ? props.schema.required.map(String) : []);
  return (
    <div class="scroll">
      <table>
        <tbody>
          {Object.entries(properties).map(([name, s]) => (
            <tr>
              <td>
                <code>{name}</code>
                {required.has(name) ? '' : '?'}
              </td>
              <td>
                <code>{schemaText(s)}</code>
              </td>
              <td>{isObj(s) ? str(s.description) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ApiDocsPage(props: { lang: Lang; switchHref: string; doc: OpenApiDocument }) {
  const { lang, doc } = props;
  const t = translator(lang);
  const paths = isObj(doc.paths) ? doc.paths : {};
  const components = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  return (
    <Layout lang={lang} title={t('Tài liệu API cho nhà bán lẻ', 'Retailer API reference')} switchHref={props.switchHref}>
      <h1>{doc.info.title}</h1>
      {(doc.info.description ?? '')
        .split('\n\n')
        .map((p) => (
          <p>{p}</p>
        ))}
      <p class="small">
        OpenAPI 3.1: <a href="/api/openapi.json">/api/openapi.json</a> · {t('Tra cứu bằng tệp CSV: ', 'CSV lookup page: ')}
        <a href="/tra-cuu">/tra-cuu</a> · {t('Máy quét ngoại tuyến cho cửa hàng: ', 'Offline scanner for shops: ')}
        <a href="/kiem-tra-nhanh">/kiem-tra-nhanh</a>
      </p>
      {Object.entries(paths).flatMap(([path, item]) =>
        isObj(item)
          ? Object.entries(item).map(([method, op]) => {
              if (!isObj(op)) return null;
              const params = Array.isArray(op.parameters) ? (op.parameters as unknown[]).filter(isObj) : [];
              const body = isObj(op.requestBody) && isObj(op.requestBody.content) ? op.requestBody.content : null;
              const responses = isObj(op.responses) ? op.responses : {};
              return (
                <section class="card" id={str(op.operationId)}>
                  <h2>
                    <code>
                      {method.toUpperCase()} {path}
                    </code>
                  </h2>
                  <p>
                    <strong>{str(op.summary)}</strong>
                  </p>
                  {op.description ? <p class="small">{str(op.description)}</p> : null}
                  {params.length > 0 ? (
                    <>
                      <h3 class="small">{t('Tham số', 'Parameters')}</h3>
                      <div class="scroll">
                        <table>
                          <tbody>
                            {params.map((p) => (
                              <tr>
                                <td>
                                  <code>{str(p.name)}</code> ({str(p.in)}
                                  {p.required ? t(', bắt buộc', ', required') : ''})
                                </td>
                                <td>
                                  <code>{schemaText(p.schema)}</code>
                                </td>
                                <td>{str(p.description)}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    </>
                  ) : null}
                  {body ? (
                    <>
                      <h3 class="small">{t('Nội dung gửi', 'Request body')}</h3>
                      {Object.entries(body).map(([type, media]) => (
                        <p class="small">
                          <code>{type}</code>: <code>{isObj(media) ? schemaText(media.schema) : ''}</code>
                          {isObj(media) && isObj(media.schema) ? <Properties schema={media.schema} /> : null}
                        </p>
                      ))}
                    </>
                  ) : null}
                  <h3 class="small">{t('Trả về', 'Responses')}</h3>
                  <ul class="small">
                    {Object.entries(responses).map(([status, r]) => (
                      <li>
                        <code>{status}</code> {isObj(r) ? str(r.description) : ''}
                        {isObj(r) && isObj(r.content)
                          ? Object.entries(r.content).map(([type, media]) => (
                              <>
                                {' '}
                                <code>{type}</code> <code>{isObj(media) ? schemaText(media.schema) : ''}</code>
                              </>
                            ))
                          : null}
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })
          : [],
      )}
      <h2>{t('Kiểu dữ liệu', 'Schemas')}</h2>
      {Object.entries(components).map(([name, schema]) => (
        <section class="card" id={`schema-${name}`}>
          <h3>
            <code>{name}</code>
          </h3>
          {isObj(schema) && schema.description ? <p class="small">{str(schema.description)}</p> : null}
          {isObj(schema) && isObj(schema.properties) ? <Properties schema={schema} /> : <p class="small">{schemaText(schema)}</p>}
        </section>
      ))}
    </Layout>
  );
}
