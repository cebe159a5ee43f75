import type { Edge, Node, NodeProps } from '@xyflow/react';
import { Background, Controls, Handle, Position, ReactFlow } from '@xyflow/react';
// Ours first, then xyflow's: where both set the same thing, xyflow's own rule stands.
import './graph.css';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { countListed } from '../../core/index.ts';
import {
  selectProblemsById,
  selectRowsById,
  selectSelectedId,
  selectVerdicts,
  useEditor,
} from '../../state/index.ts';
import { timeInWords, useLocalTime, utcTime } from '../app/times.ts';
import { plural } from '../tree/checkpoint-facts.ts';
import type { GraphNode } from './neighbourhood.ts';
import { NODE_HEIGHT, NODE_WIDTH, neighbourhood } from './neighbourhood.ts';
import { Name } from '../app/Name.tsx';

interface CheckpointNodeData extends Record<string, unknown> {
  node: GraphNode;
  time: string;
  /** The time said whole: UTC, and the local time when asked for. */
  timeWords: string;
  errors: number;
  warnings: number;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
}

type CheckpointFlowNode = Node<CheckpointNodeData, 'checkpoint'>;

const ROLE_TEXT: Record<GraphNode['role'], string> = {
  ancestor: 'ancestor',
  parent: 'parent',
  selected: 'selected',
  sibling: 'sibling',
  child: 'child',
  more: '',
};

function CheckpointNode({ data }: NodeProps<CheckpointFlowNode>) {
  const { node, time, timeWords, errors, warnings } = data;
  const itemId = node.itemId;
  return (
    <div className={`graph-node ${node.role}`} style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      {itemId === undefined ? (
        <span className="graph-more">{node.label}</span>
      ) : (
        <button
          type="button"
          className="graph-node-button"
          aria-current={node.role === 'selected' ? 'true' : undefined}
          aria-label={`${node.label}, ${ROLE_TEXT[node.role]}${time ? `, created ${timeWords}` : ''}${errors ? `, ${plural(errors, 'error')}` : ''}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`}
          title="Click to centre the graph on it, double-click to open it in the editor"
          onClick={() => data.onSelect(itemId)}
          onDoubleClick={() => data.onOpen(itemId)}
        >
          <Name text={node.label} className="graph-node-name" />
          <span className="graph-node-meta">
            <span className="graph-node-time" title={timeWords}>
              {time}
            </span>
            {errors > 0 && <span className="badge error">{errors}</span>}
            {warnings > 0 && <span className="badge warning">{warnings}</span>}
          </span>
        </button>
      )}
      {node.above !== undefined && (
        <span className="graph-above">↑ {plural(node.above, 'more ancestor')}</span>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

const NODE_TYPES = { checkpoint: CheckpointNode };

/**
 * The selected checkpoint's neighbourhood as a graph (xyflow, laid out by d3-hierarchy): its
 * parent chain a few levels up, its siblings and its children. A click moves the graph to that
 * checkpoint; a double click, or "Open in editor", opens it.
 */
export default function ChainGraph() {
  const rowsById = useEditor(selectRowsById);
  const problemsById = useEditor(selectProblemsById);
  const verdicts = useEditor(selectVerdicts);
  const selectedId = useEditor(selectSelectedId);
  const selectDocument = useEditor((s) => s.selectDocument);
  const openInEditor = useEditor((s) => s.openInEditor);
  const localTime = useLocalTime();

  const { nodes, edges, summary } = useMemo(() => {
    if (selectedId === null) return { nodes: [], edges: [], summary: '' };
    const graph = neighbourhood(rowsById, selectedId);
    const nodes: CheckpointFlowNode[] = graph.nodes.map((n) => {
      const id = n.itemId;
      const counts = countListed(id ? (problemsById[id] ?? []) : []);
      return {
        id: n.id,
        type: 'checkpoint',
        position: { x: n.x - NODE_WIDTH / 2, y: n.y },
        data: {
          node: n,
          time: id ? utcTime(verdicts[id]?.checkpoint?.creationTime) : '',
          timeWords: id ? timeInWords(verdicts[id]?.checkpoint?.creationTime, localTime) : '',
          ...counts,
          onSelect: selectDocument,
          onOpen: openInEditor,
        },
        draggable: false,
        selectable: false,
        connectable: false,
      };
    });
    const edges: Edge[] = graph.edges.map((e) => ({ ...e, type: 'smoothstep' }));
    const count = (role: GraphNode['role']) => graph.nodes.filter((n) => n.role === role).length;
    const item = rowsById[selectedId];
    const summary = item
      ? `${item.label}: ${plural(count('ancestor') + count('parent'), 'ancestor')}, ${plural(count('sibling'), 'sibling')}, ${plural(item.childIds.length, 'child', 'children')} shown around it`
      : '';
    return { nodes, edges, summary };
  }, [rowsById, problemsById, verdicts, selectedId, selectDocument, openInEditor, localTime]);

  if (selectedId === null || nodes.length === 0) {
    return <p className="pane-note">Choose a checkpoint to see its neighbourhood.</p>;
  }
  return (
    <section className="graph-pane" aria-labelledby="graph-title">
      <div className="graph-bar">
        <h3 id="graph-title">Neighbourhood</h3>
        <span className="pane-note" role="status">
          {summary}
        </span>
        <button type="button" className="button small" onClick={() => openInEditor(selectedId)}>
          Open in editor
        </button>
      </div>
      <div className="graph-canvas">
        <ReactFlow
          // A new selection lays the graph out and fits it afresh.
          key={selectedId}
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          fitView
          fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
          minZoom={0.2}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          deleteKeyCode={null}
          zoomOnDoubleClick={false}
          colorMode="system"
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </section>
  );
}
