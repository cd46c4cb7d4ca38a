import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/button';

/**
 * The SMProtocol protocols: state, address, connections, and a restart button each. Refreshed every two seconds.
 */
export class QwcSmprotocolProtocols extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 6px 12px; border-bottom: 1px solid var(--lumo-contrast-10pct); }
        .RUNNING { color: var(--lumo-success-text-color); }
        .FAILED { color: var(--lumo-error-text-color); }
        .message { padding: 8px 12px; }
    `;

    static properties = {
        _protocols: { state: true },
        _message: { state: true }
    };

    constructor() {
        super();
        this._protocols = [];
        this._message = '';
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
        this.jsonRpc.getProtocols().then(response => { this._protocols = response.result; });
    }

    _restart(name) {
        this._message = 'Restarting ' + name + '...';
        this.jsonRpc.restart({ name: name }).then(response => {
            this._message = response.result;
            this._load();
        });
    }

    render() {
        return html`
            <table>
                <tr><th>Protocol</th><th>State</th><th>Address</th><th>Open</th><th>Accepted</th><th>Starts</th><th></th></tr>
                ${this._protocols.map(p => html`
                    <tr>
                        <td>${p.name}</td>
                        <td class="${p.state}" title="${p.failure || ''}">${p.state}</td>
                        <td>${p.address}</td>
                        <td>${p.openConnections}</td>
                        <td>${p.acceptedConnections}</td>
                        <td>${p.starts}</td>
                        <td><vaadin-button theme="small" @click=${() => this._restart(p.name)}>Restart</vaadin-button></td>
                    </tr>`)}
            </table>
            <div class="message">${this._message}</div>`;
    }
}
customElements.define('qwc-smprotocol-protocols', QwcSmprotocolProtocols);
