import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';

/**
 * The download listener and tracking: requests and cache hits, logical downloads started, completed and stopped,
 * records waiting for MongoDB, and the latest downloads recorded. Refreshed every two seconds.
 */
export class QwcSmprotocolDownloads extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        table { border-collapse: collapse; width: 100%; margin-bottom: 16px; }
        th, td { text-align: left; padding: 6px 12px; border-bottom: 1px solid var(--lumo-contrast-10pct); }
        .COMPLETED { color: var(--lumo-success-text-color); }
        .ERROR { color: var(--lumo-error-text-color); }
        .message { padding: 8px 12px; }
    `;

    static properties = {
        _data: { state: true }
    };

    constructor() {
        super();
        this._data = null;
    }

    connectedCallback() {
        super.connectedCallback();
        this._load();
        this._timer = setInterval(() => this._load(), 2000);
    }

    disconnectedCallback() {
        clearInterval(this._timer);
        super.disconnectedCallback();
    }

    _load() {
        this.jsonRpc.getDownloads().then(response => { this._data = response.result; });
    }

    render() {
        if (!this._data) {
            return html`<div class="message">Loading...</div>`;
        }
        const l = this._data.listener;
        const t = this._data.tracking;
        return html`
            <table>
                <tr><th>Listener</th><th>Port</th><th>Root</th><th>Requests</th><th>Local cache hits</th><th>memcached hits</th></tr>
                <tr><td>${l.state}</td><td>${l.port}</td><td>${l.root}</td><td>${l.requests}</td><td>${l.localCacheHits}</td><td>${l.memcachedHits}</td></tr>
            </table>
            <table>
                <tr><th>Tracking</th><th>Started</th><th>Completed</th><th>Stopped</th><th>Waiting for MongoDB</th><th>Journal (bytes)</th></tr>
                <tr><td>${t.running ? 'running' : 'off'}</td><td>${t.started}</td><td>${t.completed}</td><td>${t.stopped}</td><td>${t.pending}</td><td>${t.journalSize}</td></tr>
            </table>
            ${this._data.latestError ? html`<div class="message">MongoDB: ${this._data.latestError}</div>` : ''}
            <table>
                <tr><th>Started</th><th>File</th><th>Client</th><th>Requests</th><th>Bytes sent</th><th>%</th><th>End</th></tr>
                ${this._data.latest.map(d => html`
                    <tr>
                        <td>${d.startedAt}</td>
                        <td>${d.path}</td>
                        <td>${d.client}</td>
                        <td>${d.requests}</td>
                        <td>${d.bytesSent}</td>
                        <td>${d.percent.toFixed(1)}</td>
                        <td class="${d.endReason}" title="${d.id}">${d.endReason}</td>
                    </tr>`)}
            </table>`;
    }
}
customElements.define('qwc-smprotocol-downloads', QwcSmprotocolDownloads);
