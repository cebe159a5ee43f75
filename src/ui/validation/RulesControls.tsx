import type { ChangeEvent } from 'react';
import {
  loadSchemaFolder,
  selectProfile,
  selectSchemaSet,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';

/** Which rules apply: the schema set in use (replaceable for the session) and the redefine profile. */
export function RulesControls() {
  const store = useEditorStore();
  const schemaSet = useEditor(selectSchemaSet);
  const profile = useEditor(selectProfile);
  const setProfile = useEditor((s) => s.setProfile);
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
      <label className="field-inline">
        Redefine rules
        <select
          value={profile}
          onChange={(e) =>
            setProfile(e.target.value === 'allow-no-domain' ? 'allow-no-domain' : 'strict')
          }
        >
          <option value="strict">strict: &lt;domain&gt; required</option>
          <option value="allow-no-domain">libvirt 7.0+: &lt;domain&gt; optional</option>
        </select>
      </label>
    </div>
  );
}
