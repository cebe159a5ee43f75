import type { ChangeEvent } from 'react';
import { memo, useId } from 'react';
import { profileOfVersion } from '../../core/index.ts';
import {
  loadSchemaFolder,
  selectProfile,
  selectSchemaSet,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';

/** Which rules apply: the schema set in use (replaceable for the session) and the redefine profile. */
/** The rules in force; its own subscriptions only (the panel renders again at each selection). */
export const RulesControls = memo(function RulesControls() {
  const store = useEditorStore();
  const schemaSet = useEditor(selectSchemaSet);
  const profile = useEditor(selectProfile);
  const setProfile = useEditor((s) => s.setProfile);
  const id = useId();
  // The rule of the libvirt whose schemas are loaded: the default, named so.
  const ofVersion = profileOfVersion(schemaSet.version);
  const mark = (p: 'strict' | 'allow-no-domain') => (ofVersion === p ? ' (default)' : '');
  const onSchemaFolder = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (files.length) void loadSchemaFolder(store, files);
  };
  return (
    <div className="group">
      <span className="schema-set" title={schemaSet.error ?? schemaSet.label}>
        <span className={`status-dot ${schemaSet.status}`} aria-hidden="true" />
        <span aria-live="polite">
          {schemaSet.status === 'loading'
            ? `Loading ${schemaSet.label}…`
            : schemaSet.status === 'failed'
              ? `${schemaSet.label}: ${schemaSet.error ?? 'failed to load'}`
              : schemaSet.label}
        </span>
      </span>
      {schemaSet.status === 'ready' && schemaSet.error && (
        <span className="schema-error" role="alert">
          Not loaded: {schemaSet.error}
        </span>
      )}
      <label
        className="button small file-button"
        title="Validate against another libvirt schema folder for this session"
      >
        Load schemas…
        <input
          type="file"
          multiple
          {...{ webkitdirectory: '', directory: '' }}
          aria-label="Load schema folder"
          onChange={onSchemaFolder}
        />
      </label>
      <span className="field-inline">
        <label htmlFor={`${id}-profile`}>Redefine rules</label>
        <select
          id={`${id}-profile`}
          value={profile}
          title={`libvirt 7.0 and later redefine a checkpoint without <domain>; before, libvirt required it.${ofVersion ? ` The default: the rule of libvirt ${schemaSet.version ?? ''}, whose schemas are loaded.` : ''}`}
          onChange={(e) =>
            setProfile(e.target.value === 'allow-no-domain' ? 'allow-no-domain' : 'strict')
          }
        >
          <option value="allow-no-domain">
            libvirt 7.0+: &lt;domain&gt; optional{mark('allow-no-domain')}
          </option>
          <option value="strict">strict: &lt;domain&gt; required{mark('strict')}</option>
        </select>
      </span>
    </div>
  );
});
